import type { Connection, Employee, EmployeeInput, Me, Project, Role } from '../api/types';
import { isSupervisorRole } from './permissions';

/**
 * Whether `me` may manage `employee` from the Team page (the server decides in the end): creators
 * and administrators manage their account's employees, an administrator never the creator.
 */
export function canManageEmployee(me: Me, employee: Employee): boolean {
  if (!isSupervisorRole(me.role)) return false;
  return employee.role !== 'creator' || me.role === 'creator';
}

/** Whether the employee may be deactivated by `me`: never the creator, never oneself. */
export function canDeactivate(me: Me, employee: Employee): boolean {
  return canManageEmployee(me, employee) && employee.role !== 'creator' && employee.id !== me.id;
}

/** The roles a supervisor may give: the account keeps its one creator, so never "creator". */
export function assignableRoles(): Role[] {
  return ['operator', 'administrator'];
}

/** An employee event (employee.created/updated/…): inserted in name order, or replacing the old. */
export function applyEmployee(team: Employee[], employee: Employee): Employee[] {
  const at = team.findIndex((e) => e.id === employee.id);
  if (at >= 0) {
    const next = team.slice();
    next[at] = { ...team[at], ...employee };
    return next;
  }
  const next = [...team, employee];
  next.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  return next;
}

/** The projects the employee operates in (from the projects' operator lists). */
export function projectsOf(projects: Project[], employeeId: number): number[] {
  return projects.filter((p) => p.operators.includes(employeeId)).map((p) => p.id);
}

/** Only what changed in the form, for PATCH (an empty object when nothing did). */
export function employeeChange(before: EmployeeInput, after: EmployeeInput): Partial<EmployeeInput> {
  const change: Partial<EmployeeInput> = {};
  if (after.name.trim() !== before.name) change.name = after.name.trim();
  if (after.login.trim().toLowerCase() !== before.login) change.login = after.login.trim();
  if (after.role !== before.role) change.role = after.role;
  const a = [...before.project_ids].sort((x, y) => x - y);
  const b = [...after.project_ids].sort((x, y) => x - y);
  if (a.length !== b.length || a.some((id, i) => id !== b[i])) change.project_ids = b;
  return change;
}

/** "host:port" as a softphone's server field wants it (IPv6 hosts in brackets). */
export function serverAddress(c: Connection): string {
  const host = c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host;
  return `${host}:${c.port}`;
}

/** The transports offered, as "UDP 5060, TCP 5060". */
export function transportsText(c: Connection): string {
  return c.transports.map((t) => `${t.transport.toUpperCase()} ${t.port}`).join(', ');
}

/** The Team page's empty state: the creator is alone (nobody else to manage yet). */
export function aloneInTeam(me: Me, team: Employee[]): boolean {
  return team.every((e) => e.id === me.id);
}
