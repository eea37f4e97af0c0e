import type { ApiClient } from '../api/client';
import { describeError } from '../api/describe';
import { isApiError } from '../api/errors';
import type { Employee, Project } from '../api/types';
import type { MessageKey } from '../i18n';
import { Store } from '../lib/store';
import type { Notices } from './notices';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export type ProjectsApi = Pick<
  ApiClient,
  'projects' | 'createProject' | 'renameProject' | 'archiveProject' | 'setProjectOperator' | 'addProjectResult' | 'renameProjectResult' | 'retireProjectResult'
>;

/** A refused form: the sentence to show next to it, and the input it is about (if the server said). */
export interface FormRefusal {
  field: string | null;
  text: string;
}

/** Active projects first, then archived ones; each group by name (as the server sorts). */
export function sortProjects(list: Project[]): Project[] {
  return [...list].sort((a, b) => Number(!!a.archived) - Number(!!b.archived) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

/** A project from a reply or a project.* event replaces its older self, or joins the list. */
export function applyProject(list: Project[] | null, project: Project): Project[] | null {
  if (!list) return list;
  const others = list.filter((p) => p.id !== project.id);
  return sortProjects([...others, project]);
}

/** The account's operators who are not on the project yet (the "add operator" choices). */
export function operatorChoices(team: Employee[], project: Project): Employee[] {
  return team.filter((e) => e.role === 'operator' && !project.operators.includes(e.id)).sort((a, b) => a.name.localeCompare(b.name));
}

/** The project's operators as people (ids the team does not know, e.g. not loaded yet, are left out). */
export function projectOperators(team: Employee[], project: Project): Employee[] {
  return project.operators.map((id) => team.find((e) => e.id === id)).filter((e): e is Employee => e !== undefined);
}

/** A refusal of a project action as a sentence, naming the input when the server named it. */
export function describeProjectError(t: T, error: unknown): FormRefusal {
  if (!isApiError(error)) return { field: null, text: describeError(t, error) };
  const field = error.field;
  const taken = error.code === 'conflict';
  if (field === 'name') return { field, text: t(taken ? 'projects.error.nameTaken' : 'projects.error.nameInvalid') };
  if (field === 'label') return { field, text: t(taken ? 'projects.error.labelTaken' : 'projects.error.labelInvalid') };
  if (field === 'user_id') return { field, text: t('projects.error.notOperator') };
  if (taken) return { field, text: t('projects.error.archived') };
  return { field, text: describeError(t, error) };
}

/**
 * The account's projects and what creators and administrators do to them. Each action applies
 * the server's answer at once; other tabs follow through project.* events (onEvent).
 */
export class ProjectsControl {
  readonly list = new Store<Project[] | null>(null);

  constructor(private readonly deps: { api: ProjectsApi; notices: Notices; t: T }) {}

  async load(): Promise<void> {
    this.list.set(sortProjects(await this.deps.api.projects()));
  }

  /** A project.* event: its data is the project as it is now. */
  onEvent(project: Project): void {
    this.list.update((l) => applyProject(l, project));
  }

  clear(): void {
    this.list.set(null);
  }

  /** Forms answer with null on success, or the refusal to show next to the input. */
  create(name: string): Promise<FormRefusal | null> {
    return this.form(async () => {
      const project = await this.deps.api.createProject(name.trim());
      this.list.update((l) => applyProject(l ?? [], project));
      this.deps.notices.push('success', this.deps.t('projects.notice.created', { name: project.name }));
    });
  }

  rename(project: Project, name: string): Promise<FormRefusal | null> {
    return this.form(async () => this.onEvent(await this.deps.api.renameProject(project.id, name.trim())));
  }

  addResult(project: Project, label: string): Promise<FormRefusal | null> {
    return this.form(async () => this.onEvent((await this.deps.api.addProjectResult(project.id, label.trim())).project));
  }

  renameResult(project: Project, resultId: number, label: string): Promise<FormRefusal | null> {
    return this.form(async () => this.onEvent(await this.deps.api.renameProjectResult(project.id, resultId, label.trim())));
  }

  /** Buttons report a refusal as a notice; they answer whether the action went through. */
  setArchived(project: Project, archived: boolean): Promise<boolean> {
    return this.act(async () => {
      this.onEvent(await this.deps.api.archiveProject(project.id, archived));
      this.deps.notices.push('success', this.deps.t(archived ? 'projects.notice.archived' : 'projects.notice.unarchived', { name: project.name }));
    });
  }

  setOperator(project: Project, userId: number, on: boolean): Promise<boolean> {
    return this.act(async () => this.onEvent(await this.deps.api.setProjectOperator(project.id, userId, on)));
  }

  retireResult(project: Project, resultId: number): Promise<boolean> {
    return this.act(async () => this.onEvent(await this.deps.api.retireProjectResult(project.id, resultId)));
  }

  private async form(action: () => Promise<void>): Promise<FormRefusal | null> {
    try {
      await action();
      return null;
    } catch (e) {
      return describeProjectError(this.deps.t, e);
    }
  }

  private async act(action: () => Promise<void>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (e) {
      if (!(isApiError(e) && e.status === 401)) this.deps.notices.push('error', describeProjectError(this.deps.t, e).text);
      return false;
    }
  }
}
