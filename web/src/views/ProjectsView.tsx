import { useEffect, useState } from 'preact/hooks';
import type { Call, Employee, Project, ProjectState } from '../api/types';
import { canJoin } from '../lib/permissions';
import { useApp } from './context';
import { useStore } from './hooks';
import { JoinPopup } from './JoinPopup';
import { Modal } from './Modal';
import { Ticking } from './Ticking';

/** «Проекты»: the account's projects; a name opens «Состояние проекта». */
export function ProjectsView() {
  const app = useApp();
  const epoch = useStore(app.epoch);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [open, setOpen] = useState<Project | null>(null);
  useEffect(() => {
    void app.guard(async () => setProjects(await app.api.projects()));
  }, [epoch]);
  if (!projects) return <p class="muted">{app.t('common.loading')}</p>;
  return (
    <section>
      <h1>{app.t('projects.title')}</h1>
      {projects.length === 0 && <p class="muted">{app.t('projects.empty')}</p>}
      <ul class="cards">
        {projects.map((p) => (
          <li key={p.id}>
            <button class="link" data-testid={`project-${p.name}`} onClick={() => setOpen(p)}>
              {p.name}
            </button>
            <span class="muted small">{app.t('projects.operators', { n: p.operators.length })}</span>
            {p.numbers && p.numbers.length > 0 && <span class="muted small" data-testid={`project-numbers-${p.name}`}>{app.t('projects.numbers', { numbers: p.numbers.map((n) => `+${n}`).join(', ') })}</span>}
          </li>
        ))}
      </ul>
      {open && <ProjectStatePopup project={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function ProjectStatePopup({ project, onClose }: { project: Project; onClose: () => void }) {
  const app = useApp();
  const epoch = useStore(app.epoch);
  const team = useStore(app.team);
  const [state, setState] = useState<ProjectState | null>(null);
  const [joining, setJoining] = useState<{ call: Call; name: string } | null>(null);
  useEffect(() => {
    void app.guard(async () => setState(await app.api.projectState(project.id)));
    if (!app.team.get()) void app.loadTeam();
  }, [project.id, epoch]);
  // Live: the team store follows presence and call events; the fetched state gives membership.
  const operators: Employee[] = (state?.operators ?? []).map((o) => team?.find((e) => e.id === o.id) ?? o);
  const talking = operators.filter((o) => o.status === 'talking').length;
  const available = operators.filter((o) => o.status === 'available').length;
  const me = app.me!;
  if (joining) return <JoinPopup call={joining.call} employeeName={joining.name} onClose={onClose} />;
  return (
    <Modal title={`${app.t('projectState.title')}: ${project.name}`} onClose={onClose} testId="project-state">
      {!state ? (
        <p class="muted">{app.t('common.loading')}</p>
      ) : (
        <>
          <p class="muted">{app.t('projectState.summary', { talking, available, ringing: state.ringing_calls })}</p>
          {operators.length === 0 ? (
            <p class="muted">{app.t('projectState.noOperators')}</p>
          ) : (
            <table class="list">
              <thead>
                <tr>
                  <th>{app.t('projectState.operator')}</th>
                  <th>{app.t('projectState.status')}</th>
                  <th>{app.t('projectState.timeInCall')}</th>
                </tr>
              </thead>
              <tbody>
                {operators.map((o) => (
                  <tr key={o.id}>
                    <td>{o.name}</td>
                    <td>
                      <span class={`status status-${o.status}`}>{app.t(`status.${o.status}`)}</span>
                    </td>
                    <td>
                      {o.current_call?.state === 'talking' ? (
                        canJoin(me, o) ? (
                          <button class="time-button" data-testid={`call-time-${o.login}`} onClick={() => setJoining({ call: o.current_call!, name: o.name })}>
                            <Ticking since={o.current_call.answered_at} />
                          </button>
                        ) : (
                          <Ticking since={o.current_call.answered_at} />
                        )
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Modal>
  );
}
