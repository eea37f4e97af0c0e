import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../api/types';
import { useApp } from './context';
import { useStore } from './hooks';
import { TextForm } from './TextForm';
import { ProjectPanel } from './ProjectPanel';
import { ProjectStatePopup } from './ProjectStatePopup';

/**
 * «Проекты»: the account's projects. A name opens «Состояние проекта»; creators and
 * administrators (the only ones who see this page) create projects and manage each one here.
 */
export function ProjectsView() {
  const app = useApp();
  const epoch = useStore(app.epoch);
  const projects = useStore(app.projects.list);
  const [open, setOpen] = useState<Project | null>(null);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    void app.guard(() => app.projects.load());
    if (!app.team.get()) void app.loadTeam();
  }, [epoch]);
  if (!projects) return <p class="muted">{app.t('common.loading')}</p>;
  return (
    <section>
      <div class="page-title">
        <h1>{app.t('projects.title')}</h1>
        {!adding && (
          <button class="primary" data-testid="project-add" onClick={() => setAdding(true)}>
            {app.t('projects.add')}
          </button>
        )}
      </div>
      {adding && (
        <TextForm
          testId="project-form"
          name="name"
          label={app.t('projects.name')}
          submitLabel={app.t('projects.create')}
          submitTestId="project-submit"
          onSubmit={async (name) => {
            const refusal = await app.projects.create(name);
            if (!refusal) setAdding(false);
            return refusal;
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {projects.length === 0 && <Guidance />}
      <ul class="projects">
        {projects.map((p) => (
          <ProjectPanel key={p.id} project={p} onOpen={() => setOpen(p)} />
        ))}
      </ul>
      {open && <ProjectStatePopup project={projects.find((p) => p.id === open.id) ?? open} onClose={() => setOpen(null)} />}
    </section>
  );
}

/** What to do on an empty account: the three steps to the first call. */
function Guidance() {
  const app = useApp();
  return (
    <div class="panel guidance" data-testid="projects-empty">
      <p>{app.t('projects.guide.title')}</p>
      <ol>
        <li>{app.t('projects.guide.create')}</li>
        <li>{app.t('projects.guide.operators')}</li>
        <li>{app.t('projects.guide.number')}</li>
      </ol>
    </div>
  );
}
