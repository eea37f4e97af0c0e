import { useEffect, useState } from 'preact/hooks';
import type { Employee, Feature, Me } from '../api/types';
import type { MessageKey } from '../i18n';
import { parseRoute } from '../state/router';
import { useApp } from './context';
import { useStore } from './hooks';

/** What the account has so far: each step of the checklist is done when its fact holds. */
export interface SetupFacts {
  hasOperator: boolean;
  hasProject: boolean;
  phoneConnected: boolean;
  hasTrunk: boolean;
  featureConnected: boolean;
}

export interface SetupStep {
  key: 'employees' | 'project' | 'phone' | 'trunk' | 'feature';
  done: boolean;
  /** The page where the step is done. */
  path: string;
}

/** The first-run checklist, in the order a newcomer goes from an empty account to a monitored call. */
export function setupSteps(f: SetupFacts): SetupStep[] {
  return [
    { key: 'employees', done: f.hasOperator, path: '/team' },
    { key: 'project', done: f.hasProject, path: '/projects' },
    { key: 'phone', done: f.phoneConnected, path: '/team' },
    { key: 'trunk', done: f.hasTrunk, path: '/trunks' },
    { key: 'feature', done: f.featureConnected, path: '/tariff' },
  ];
}

/** The facts the app's state already holds: the team (with live presence), me, the features. */
export function knownFacts(team: Employee[] | null, me: Me | null, features: Feature[] | null): Pick<SetupFacts, 'hasOperator' | 'phoneConnected' | 'featureConnected'> {
  const mine = team?.find((e) => e.id === me?.id);
  return {
    hasOperator: (team ?? []).some((e) => e.role === 'operator'),
    // Presence comes from registration: my SIP phone or my browser phone is registered.
    phoneConnected: (mine?.status ?? me?.status ?? 'offline') !== 'offline',
    featureConnected: (features ?? []).some((f) => f.key === 'whisper_listen' && f.state === 'connected'),
  };
}

export const hiddenKey = (accountId: number) => `suflyor.gettingStarted.hidden.${accountId}`;

const titles: Record<SetupStep['key'], MessageKey> = {
  employees: 'start.employees',
  project: 'start.project',
  phone: 'start.phone',
  trunk: 'start.trunk',
  feature: 'start.feature',
};
const hints: Record<SetupStep['key'], MessageKey> = {
  employees: 'start.employees.hint',
  project: 'start.project.hint',
  phone: 'start.phone.hint',
  trunk: 'start.trunk.hint',
  feature: 'start.feature.hint',
};

/** «С чего начать»: shown to supervisors on the home page until the account is set up or hidden. */
export function GettingStarted() {
  const app = useApp();
  const session = useStore(app.session);
  const team = useStore(app.team);
  const features = useStore(app.features);
  const epoch = useStore(app.epoch);
  const me = session?.me ?? null;
  const [hidden, setHidden] = useState(() => (me ? app.storage.getItem(hiddenKey(me.account.id)) === '1' : true));
  const [hasProject, setHasProject] = useState<boolean | null>(null);
  const [hasTrunk, setHasTrunk] = useState<boolean | null>(null);

  useEffect(() => {
    if (hidden) return;
    let live = true;
    void app.api.projects().then(
      (projects) => live && setHasProject(projects.length > 0),
      () => live && setHasProject(false),
    );
    // The trunks API may be absent from this server: a 404 means none yet.
    void app.api
      .request('GET', '/api/v1/trunks')
      .then((reply) => reply.json() as Promise<{ trunks?: unknown[] }>)
      .then(
        (body) => live && setHasTrunk((body.trunks ?? []).length > 0),
        () => live && setHasTrunk(false), // 404 (no trunks API yet) or unreadable: none known
      );
    if (!features) void app.loadFeatures();
    return () => {
      live = false;
    };
  }, [hidden, epoch]);

  if (!me || hidden || hasProject === null || hasTrunk === null) return null;
  const steps = setupSteps({ ...knownFacts(team, me, features), hasProject, hasTrunk });
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  const hide = () => {
    app.storage.setItem(hiddenKey(me.account.id), '1');
    setHidden(true);
  };
  return (
    <section class="panel getting-started" data-testid="getting-started" aria-labelledby="getting-started-title">
      <header>
        <h2 id="getting-started-title">{app.t('start.title')}</h2>
        <span class="muted small">{app.t('start.progress', { done, total: steps.length })}</span>
        <button class="icon" aria-label={app.t('start.hide')} title={app.t('start.hide')} data-testid="getting-started-hide" onClick={hide}>
          ×
        </button>
      </header>
      <ol>
        {steps.map((step) => (
          <li key={step.key} class={step.done ? 'done' : ''} data-step={step.key} data-done={step.done}>
            <span class="check" aria-hidden="true">
              {step.done ? '✓' : '○'}
            </span>
            <div>
              <a
                href={step.path}
                onClick={(e) => {
                  e.preventDefault();
                  app.go(parseRoute(step.path));
                }}
              >
                {app.t(titles[step.key])}
              </a>
              {step.done && <span class="sr-only"> — {app.t('start.done')}</span>}
              {!step.done && <p class="muted small">{app.t(hints[step.key])}</p>}
            </div>
          </li>
        ))}
        <li data-step="listen">
          <span class="check" aria-hidden="true">
            ▶
          </span>
          <div>
            <strong>{app.t('start.listen')}</strong>
            <p class="muted small">{app.t('start.listen.hint')}</p>
          </div>
        </li>
      </ol>
    </section>
  );
}
