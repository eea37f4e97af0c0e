import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/describe';
import { isApiError } from '../api/errors';
import type { Employee, EmployeeInput, Project, Role } from '../api/types';
import type { MessageKey } from '../i18n';
import { assignableRoles, employeeChange, projectsOf } from '../lib/employees';
import { useApp } from './context';
import { Modal } from './Modal';

/** Adds an employee (no `employee`) or edits one: name, login, role and projects. */
export function EmployeeForm({ employee, onClose }: { employee?: Employee; onClose: () => void }) {
  const app = useApp();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [form, setForm] = useState<EmployeeInput>({ name: employee?.name ?? '', login: employee?.login ?? '', role: employee?.role ?? 'operator', project_ids: [] });
  const [original, setOriginal] = useState<EmployeeInput | null>(null);
  const [error, setError] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void app.guard(async () => {
      const list = await app.api.projects();
      setProjects(list);
      if (employee) {
        const initial = { name: employee.name, login: employee.login, role: employee.role, project_ids: projectsOf(list, employee.id) };
        setOriginal(initial);
        setForm(initial);
      }
    });
  }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (employee) {
        const change = employeeChange(original ?? form, form);
        if (Object.keys(change).length > 0) await app.updateEmployee(employee.id, change);
      } else {
        await app.createEmployee({ ...form, name: form.name.trim(), login: form.login.trim() });
      }
      onClose();
    } catch (e) {
      setError({ field: isApiError(e) ? e.field : null, text: refusalText(app.t, e) });
    } finally {
      setBusy(false);
    }
  };
  const toggleProject = (id: number, on: boolean) =>
    setForm({ ...form, project_ids: on ? [...form.project_ids, id] : form.project_ids.filter((p) => p !== id) });
  const fieldError = (field: string) =>
    error?.field === field ? (
      <p class="field-error small" data-testid={`error-${field}`}>
        {error.text}
      </p>
    ) : null;
  const roles: Role[] = employee?.role === 'creator' ? ['creator'] : assignableRoles();

  return (
    <Modal title={employee ? app.t('employees.editTitle', { name: employee.name }) : app.t('employees.addTitle')} onClose={onClose}>
      <form class="employee-form" data-testid="employee-form" onSubmit={(ev) => void submit(ev)}>
        <label>
          {app.t('employees.name')}
          <input name="name" required maxLength={200} value={form.name} onInput={(ev) => setForm({ ...form, name: (ev.target as HTMLInputElement).value })} />
        </label>
        {fieldError('name')}
        <label>
          {app.t('employees.login')}
          <input name="login" required maxLength={64} autoComplete="off" value={form.login} onInput={(ev) => setForm({ ...form, login: (ev.target as HTMLInputElement).value })} />
        </label>
        {fieldError('login')}
        <label>
          {app.t('employees.role')}
          <select name="role" value={form.role} disabled={employee?.role === 'creator'} onChange={(ev) => setForm({ ...form, role: (ev.target as HTMLSelectElement).value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {app.t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {fieldError('role')}
        <fieldset>
          <legend>{app.t('employees.projects')}</legend>
          {projects === null && <p class="muted small">{app.t('common.loading')}</p>}
          {projects?.length === 0 && <p class="muted small">{app.t('employees.noProjects')}</p>}
          {projects?.map((p) => (
            <label key={p.id} class="check">
              <input type="checkbox" name="project" value={String(p.id)} checked={form.project_ids.includes(p.id)} onChange={(ev) => toggleProject(p.id, (ev.target as HTMLInputElement).checked)} />
              {p.name}
            </label>
          ))}
        </fieldset>
        {fieldError('project_ids')}
        {error && !['name', 'login', 'role', 'project_ids'].includes(error.field ?? '') && <p class="field-error small">{error.text}</p>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            {app.t('employees.cancel')}
          </button>
          <button type="submit" class="primary" data-testid="employee-submit" disabled={busy}>
            {app.t(employee ? 'employees.save' : 'employees.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A refusal as the form shows it: the two rules people meet get their own sentence. */
export function refusalText(t: T, e: unknown): string {
  if (isApiError(e) && e.code === 'conflict' && e.field === 'login') return t('employees.error.loginTaken');
  if (isApiError(e) && e.code === 'conflict' && e.field === 'role') return t('employees.error.lastCreator');
  return describeError(t, e);
}
