import { useState } from 'preact/hooks';
import type { Project, ResultChoice } from '../api/types';
import { operatorChoices, projectOperators } from '../state/projects';
import { useApp } from './context';
import { useStore } from './hooks';
import { TextForm } from './TextForm';

/**
 * One project on the Projects page: its name (opens the project state), rename, archive or
 * unarchive, and one line per part of it — operators, processing results (and room for more
 * lines, e.g. the project's numbers). An archived project shows what it had, frozen.
 */
export function ProjectPanel({ project, onOpen }: { project: Project; onOpen: () => void }) {
  const app = useApp();
  const [renaming, setRenaming] = useState(false);
  const archived = !!project.archived;
  return (
    <li class={`panel project${archived ? ' archived' : ''}`} data-testid={`project-panel-${project.name}`}>
      <div class="project-head">
        {renaming ? (
          <TextForm
            name="name"
            label={app.t('projects.name')}
            initial={project.name}
            submitLabel={app.t('projects.save')}
            submitTestId="project-rename-submit"
            onSubmit={async (name) => {
              const refusal = await app.projects.rename(project, name);
              if (!refusal) setRenaming(false);
              return refusal;
            }}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <button class="link project-name" data-testid={`project-${project.name}`} onClick={onOpen}>
            {project.name}
          </button>
        )}
        <span class="muted small">{app.t('projects.operators', { n: project.operators.length })}</span>
        <span class="spacer" />
        {!renaming && (
          <button class="ghost" data-testid="project-rename" onClick={() => setRenaming(true)}>
            {app.t('projects.rename')}
          </button>
        )}
        {archived ? (
          <button data-testid="project-unarchive" onClick={() => void app.projects.setArchived(project, false)}>
            {app.t('projects.unarchive')}
          </button>
        ) : (
          <button data-testid="project-archive" title={app.t('projects.archiveHint')} onClick={() => void app.projects.setArchived(project, true)}>
            {app.t('projects.archive')}
          </button>
        )}
      </div>
      {archived && <p class="muted small">{app.t('projects.archived')}</p>}
      <dl class="project-lines">
        <dt>{app.t('projects.operatorsLine')}</dt>
        <dd>
          <OperatorsLine project={project} />
        </dd>
        <dt>{app.t('projects.resultsLine')}</dt>
        <dd>
          <ResultsLine project={project} />
        </dd>
        {project.numbers && project.numbers.length > 0 && (
          <>
            <dt>{app.t('trunks.numbers')}</dt>
            <dd class="small" data-testid={`project-numbers-${project.name}`}>
              {project.numbers.map((n) => `+${n}`).join(', ')}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

function OperatorsLine({ project }: { project: Project }) {
  const app = useApp();
  const team = useStore(app.team) ?? [];
  const [picked, setPicked] = useState('');
  const members = projectOperators(team, project);
  const choices = operatorChoices(team, project);
  const add = async (e: Event) => {
    e.preventDefault();
    if (!picked) return;
    if (await app.projects.setOperator(project, Number(picked), true)) setPicked('');
  };
  return (
    <>
      {members.length === 0 ? (
        <p class="muted small">{app.t('projects.noOperators')}</p>
      ) : (
        <ul class="chips">
          {members.map((m) => (
            <li key={m.id} data-testid={`project-operator-${m.login}`}>
              {m.name}
              <button class="icon" aria-label={`${app.t('projects.remove')}: ${m.name}`} data-testid={`project-operator-remove-${m.login}`} onClick={() => void app.projects.setOperator(project, m.id, false)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {!project.archived &&
        (choices.length === 0 ? (
          <p class="muted small">{app.t('projects.noOperatorChoices')}</p>
        ) : (
          <form class="text-form" onSubmit={add}>
            <select data-testid="project-operator-add" aria-label={app.t('projects.operatorPick')} value={picked} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}>
              <option value="">{app.t('projects.operatorPick')}</option>
              {choices.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name} ({c.login})
                </option>
              ))}
            </select>
            <button type="submit" data-testid="project-operator-submit" disabled={!picked}>
              {app.t('projects.operatorAdd')}
            </button>
          </form>
        ))}
    </>
  );
}

function ResultsLine({ project }: { project: Project }) {
  const app = useApp();
  const retired = project.retired_results ?? [];
  return (
    <>
      {project.results.length === 0 ? (
        <p class="muted small">{app.t('projects.noResults')}</p>
      ) : (
        <ul class="results">
          {project.results.map((r) => (
            <ResultRow key={r.id} project={project} result={r} />
          ))}
        </ul>
      )}
      {retired.length > 0 && <p class="muted small">{app.t('projects.retired', { labels: retired.map((r) => r.label).join(', ') })}</p>}
      {!project.archived && (
        <TextForm
          testId="project-result-form"
          name="label"
          label={app.t('projects.resultLabel')}
          submitLabel={app.t('projects.resultAdd')}
          submitTestId="project-result-submit"
          keepOpen
          onSubmit={(label) => app.projects.addResult(project, label)}
        />
      )}
    </>
  );
}

function ResultRow({ project, result }: { project: Project; result: ResultChoice }) {
  const app = useApp();
  const [renaming, setRenaming] = useState(false);
  if (renaming)
    return (
      <li>
        <TextForm
          name="label"
          label={app.t('projects.resultLabel')}
          initial={result.label}
          submitLabel={app.t('projects.save')}
          onSubmit={async (label) => {
            const refusal = await app.projects.renameResult(project, result.id, label);
            if (!refusal) setRenaming(false);
            return refusal;
          }}
          onCancel={() => setRenaming(false)}
        />
      </li>
    );
  return (
    <li data-testid={`project-result-${result.label}`}>
      <span>{result.label}</span>
      {!project.archived && (
        <>
          <button class="ghost small" data-testid="project-result-rename" onClick={() => setRenaming(true)}>
            {app.t('projects.rename')}
          </button>
          <button class="ghost small" data-testid="project-result-retire" onClick={() => void app.projects.retireResult(project, result.id)}>
            {app.t('projects.retire')}
          </button>
        </>
      )}
    </li>
  );
}
