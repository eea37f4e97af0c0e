import { describe, expect, it } from 'vitest';
import { ApiError, errorFromReply } from '../src/api/errors';
import type { Employee, Project } from '../src/api/types';
import { translate, type MessageKey } from '../src/i18n';
import { Notices } from '../src/state/notices';
import { ProjectsControl, applyProject, describeProjectError, operatorChoices, projectOperators, sortProjects, type ProjectsApi } from '../src/state/projects';

const t = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params);

const project = (id: number, name: string, extra: Partial<Project> = {}): Project => ({ id, name, operators: [], results: [], retired_results: [], archived: false, archived_at: null, ...extra });
const person = (id: number, name: string, role: Employee['role'] = 'operator'): Employee => ({
  id,
  name,
  login: name.toLowerCase(),
  role,
  status: 'offline',
  status_since: null,
  current_call: null,
});

/** The API as the server answers: a list it keeps, refusals as the server words them. */
class FakeApi implements ProjectsApi {
  projectsList: Project[] = [project(1, 'Sales')];
  refusal: ApiError | null = null;
  calls: string[] = [];
  private next = 10;

  private answer<T>(call: string, value: () => T): Promise<T> {
    this.calls.push(call);
    if (this.refusal) return Promise.reject(this.refusal);
    return Promise.resolve(value());
  }
  private change(id: number, edit: (p: Project) => Project): Project {
    const changed = edit(this.projectsList.find((p) => p.id === id)!);
    this.projectsList = this.projectsList.map((p) => (p.id === id ? changed : p));
    return changed;
  }
  projects = () => this.answer('projects', () => this.projectsList);
  createProject = (name: string) =>
    this.answer(`create ${name}`, () => {
      const p = project(this.next++, name);
      this.projectsList.push(p);
      return p;
    });
  renameProject = (id: number, name: string) => this.answer(`rename ${id} ${name}`, () => this.change(id, (p) => ({ ...p, name })));
  archiveProject = (id: number, archived: boolean) => this.answer(`archive ${id} ${archived}`, () => this.change(id, (p) => ({ ...p, archived })));
  setProjectOperator = (id: number, userId: number, on: boolean) =>
    this.answer(`operator ${id} ${userId} ${on}`, () => this.change(id, (p) => ({ ...p, operators: on ? [...p.operators, userId] : p.operators.filter((o) => o !== userId) })));
  addProjectResult = (id: number, label: string) =>
    this.answer(`result ${id} ${label}`, () => {
      const result = { id: this.next++, label };
      return { ...result, project: this.change(id, (p) => ({ ...p, results: [...p.results, result] })) };
    });
  renameProjectResult = (id: number, resultId: number, label: string) =>
    this.answer(`rename result ${resultId} ${label}`, () => this.change(id, (p) => ({ ...p, results: p.results.map((r) => (r.id === resultId ? { ...r, label } : r)) })));
  retireProjectResult = (id: number, resultId: number) =>
    this.answer(`retire ${resultId}`, () =>
      this.change(id, (p) => ({ ...p, results: p.results.filter((r) => r.id !== resultId), retired_results: p.results.filter((r) => r.id === resultId) })),
    );
}

const setup = () => {
  const api = new FakeApi();
  const notices = new Notices();
  const control = new ProjectsControl({ api, notices, t });
  return { api, notices, control };
};

describe('project list helpers', () => {
  it('sorts active projects by name before archived ones', () => {
    const sorted = sortProjects([project(3, 'Zeta'), project(2, 'Old', { archived: true }), project(1, 'Alpha')]);
    expect(sorted.map((p) => p.name)).toEqual(['Alpha', 'Zeta', 'Old']);
  });

  it('applies a project from an event: replaces its older self, adds a new one, ignores an unloaded list', () => {
    const list = [project(1, 'Sales'), project(2, 'Support')];
    expect(applyProject(list, project(1, 'Sales B2B', { operators: [7] }))).toEqual([project(1, 'Sales B2B', { operators: [7] }), project(2, 'Support')]);
    expect(applyProject(list, project(3, 'Billing'))?.map((p) => p.id)).toEqual([3, 1, 2]);
    expect(applyProject(null, project(3, 'Billing'))).toBeNull();
  });

  it('offers only operators who are not on the project yet, and lists members by the team', () => {
    const team = [person(1, 'Boss', 'creator'), person(2, 'Anna', 'administrator'), person(3, 'Olga'), person(4, 'Ivan')];
    const sales = project(1, 'Sales', { operators: [3, 99] });
    expect(operatorChoices(team, sales).map((e) => e.name)).toEqual(['Ivan']);
    expect(projectOperators(team, sales).map((e) => e.name)).toEqual(['Olga']);
  });

  it('words refusals by the field the server named', () => {
    const refusal = (status: number, code: string, field?: string) => errorFromReply(status, JSON.stringify({ error: { code, message: 'x', ...(field ? { field } : {}) } }));
    expect(describeProjectError(t, refusal(409, 'conflict', 'name'))).toEqual({ field: 'name', text: t('projects.error.nameTaken') });
    expect(describeProjectError(t, refusal(400, 'invalid_value', 'name')).text).toBe(t('projects.error.nameInvalid'));
    expect(describeProjectError(t, refusal(409, 'conflict', 'label')).text).toBe(t('projects.error.labelTaken'));
    expect(describeProjectError(t, refusal(400, 'missing_field', 'label')).text).toBe(t('projects.error.labelInvalid'));
    expect(describeProjectError(t, refusal(400, 'invalid_value', 'user_id')).text).toBe(t('projects.error.notOperator'));
    expect(describeProjectError(t, refusal(409, 'conflict')).text).toBe(t('projects.error.archived'));
    expect(describeProjectError(t, refusal(403, 'forbidden')).text).toBe(t('error.forbidden'));
  });
});

describe('ProjectsControl', () => {
  it('loads, creates and renames, keeping the list sorted and saying so', async () => {
    const { api, notices, control } = setup();
    await control.load();
    expect(control.list.get()?.map((p) => p.name)).toEqual(['Sales']);
    expect(await control.create('  Billing ')).toBeNull();
    expect(api.calls).toContain('create Billing');
    expect(control.list.get()?.map((p) => p.name)).toEqual(['Billing', 'Sales']);
    expect(notices.list.get().map((n) => n.text)).toContain('Project "Billing" created');
    expect(await control.rename(project(1, 'Sales'), 'Accounts')).toBeNull();
    expect(control.list.get()?.map((p) => p.name)).toEqual(['Accounts', 'Billing']);
  });

  it('answers a refused form with the text for its field, and changes nothing', async () => {
    const { api, notices, control } = setup();
    await control.load();
    api.refusal = new ApiError(409, 'conflict', "project 'Sales' exists already", null, 'name');
    expect(await control.create('Sales')).toEqual({ field: 'name', text: 'A project with this name exists already' });
    expect(control.list.get()).toHaveLength(1);
    expect(notices.list.get()).toEqual([]); // the form shows it, not a notice
  });

  it('puts operators on and off, manages results, archives and unarchives', async () => {
    const { control } = setup();
    await control.load();
    const sales = () => control.list.get()![0];
    expect(await control.setOperator(sales(), 3, true)).toBe(true);
    expect(sales().operators).toEqual([3]);
    expect(await control.addResult(sales(), 'Sold')).toBeNull();
    const sold = sales().results[0].id;
    expect(await control.renameResult(sales(), sold, 'Sold!')).toBeNull();
    expect(sales().results[0].label).toBe('Sold!');
    expect(await control.retireResult(sales(), sold)).toBe(true);
    expect(sales().results).toEqual([]);
    expect(sales().retired_results).toEqual([{ id: sold, label: 'Sold!' }]);
    expect(await control.setArchived(sales(), true)).toBe(true);
    expect(sales().archived).toBe(true);
    expect(await control.setOperator(sales(), 3, false)).toBe(true);
    expect(sales().operators).toEqual([]);
  });

  it('reports a refused button as an error notice, but not an expired session', async () => {
    const { api, notices, control } = setup();
    await control.load();
    api.refusal = new ApiError(400, 'invalid_value', 'user_id: anna is administrator', null, 'user_id');
    expect(await control.setOperator(control.list.get()![0], 2, true)).toBe(false);
    expect(notices.list.get().map((n) => [n.kind, n.text])).toEqual([['error', 'Only operators join a project']]);
    api.refusal = new ApiError(401, 'unauthorized', 'expired');
    expect(await control.setArchived(control.list.get()![0], true)).toBe(false);
    expect(notices.list.get()).toHaveLength(1);
  });

  it('follows project.* events from other tabs and forgets everything on sign-out', async () => {
    const { control } = setup();
    control.onEvent(project(5, 'Ignored')); // nothing loaded yet: the page fetches when shown
    expect(control.list.get()).toBeNull();
    await control.load();
    control.onEvent(project(1, 'Sales', { archived: true }));
    control.onEvent(project(6, 'Support'));
    expect(control.list.get()?.map((p) => [p.name, !!p.archived])).toEqual([
      ['Support', false],
      ['Sales', true],
    ]);
    control.clear();
    expect(control.list.get()).toBeNull();
  });
});
