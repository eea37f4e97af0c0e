import { describe, expect, it } from 'vitest';
import type { Connection, Employee, Me, Project, Role } from '../src/api/types';
import { aloneInTeam, applyEmployee, assignableRoles, canDeactivate, canManageEmployee, employeeChange, projectsOf, serverAddress, transportsText } from '../src/lib/employees';
import { refusalText } from '../src/views/EmployeeForm';
import { ApiError } from '../src/api/errors';
import { translate } from '../src/i18n';

const me = (role: Role, id = 1): Me => ({
  id,
  name: 'Me',
  login: 'me',
  role,
  sip_user: 'me',
  status: 'available',
  status_since: null,
  account: { id: 1, name: 'Acme', contact_email: 'a@b', sip_domain: 'acme.test', barge_enabled: true },
  may_monitor: true,
});
const employee = (id: number, name: string, role: Role = 'operator', extra: Partial<Employee> = {}): Employee => ({
  id,
  name,
  login: name.toLowerCase(),
  role,
  status: 'offline',
  status_since: null,
  current_call: null,
  ...extra,
});
const connection = (extra: Partial<Connection> = {}): Connection => ({
  host: 'pbx.example.com',
  port: 5060,
  transport: 'udp',
  transports: [
    { transport: 'udp', port: 5060 },
    { transport: 'tcp', port: 5060 },
  ],
  user: 'olga',
  domain: 'acme.test',
  realm: 'acme.test',
  loopback_only: false,
  ws_url: null,
  ...extra,
});

describe('who manages whom', () => {
  it('lets creators manage everyone and administrators everyone but the creator', () => {
    const creator = employee(1, 'Boss', 'creator');
    const olga = employee(3, 'Olga');
    expect(canManageEmployee(me('creator'), creator)).toBe(true);
    expect(canManageEmployee(me('administrator', 2), creator)).toBe(false);
    expect(canManageEmployee(me('administrator', 2), olga)).toBe(true);
    expect(canManageEmployee(me('operator', 3), olga)).toBe(false);
  });
  it('never offers to deactivate the creator or oneself', () => {
    expect(canDeactivate(me('creator'), employee(1, 'Boss', 'creator'))).toBe(false);
    expect(canDeactivate(me('administrator', 2), employee(2, 'Anna', 'administrator'))).toBe(false);
    expect(canDeactivate(me('administrator', 2), employee(3, 'Olga'))).toBe(true);
  });
  it('offers no creator role', () => {
    expect(assignableRoles()).toEqual(['operator', 'administrator']);
  });
});

describe('team updates from employee events', () => {
  it('inserts a new employee in name order and replaces a known one', () => {
    const team = [employee(1, 'Anna'), employee(2, 'Olga')];
    const added = applyEmployee(team, employee(3, 'Maria'));
    expect(added.map((e) => e.name)).toEqual(['Anna', 'Maria', 'Olga']);
    const deactivated = applyEmployee(added, employee(2, 'Olga', 'operator', { active: false }));
    expect(deactivated.find((e) => e.id === 2)?.active).toBe(false);
    expect(deactivated).toHaveLength(3);
    expect(team).toHaveLength(2); // not mutated
  });
  it('tells when the creator is alone', () => {
    expect(aloneInTeam(me('creator'), [employee(1, 'Me', 'creator')])).toBe(true);
    expect(aloneInTeam(me('creator'), [employee(1, 'Me', 'creator'), employee(2, 'Olga')])).toBe(false);
  });
});

describe('the employee form', () => {
  const projects: Project[] = [
    { id: 10, name: 'Sales', operators: [3], results: [] },
    { id: 11, name: 'Support', operators: [4], results: [] },
  ];
  it('finds the projects an employee works in', () => {
    expect(projectsOf(projects, 3)).toEqual([10]);
    expect(projectsOf(projects, 9)).toEqual([]);
  });
  it('sends only what changed', () => {
    const before = { name: 'Olga', login: 'olga', role: 'operator' as Role, project_ids: [10, 11] };
    expect(employeeChange(before, { ...before, project_ids: [11, 10] })).toEqual({});
    expect(employeeChange(before, { ...before, name: ' Olga K ', login: 'OLGA' })).toEqual({ name: 'Olga K' });
    expect(employeeChange(before, { ...before, role: 'administrator', project_ids: [11] })).toEqual({ role: 'administrator', project_ids: [11] });
  });
  it('names the rules people meet in their own words', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);
    expect(refusalText(t, new ApiError(409, 'conflict', "login 'x' is taken", null, 'login'))).toBe('This login is taken');
    expect(refusalText(t, new ApiError(409, 'conflict', 'only creator', null, 'role'))).toMatch(/exactly one creator/);
    expect(refusalText(t, new ApiError(403, 'forbidden', 'no'))).toBe('Not allowed');
  });
});

describe('connect a phone', () => {
  it('shows the server as host:port and every transport', () => {
    expect(serverAddress(connection())).toBe('pbx.example.com:5060');
    expect(serverAddress(connection({ host: '2001:db8::1' }))).toBe('[2001:db8::1]:5060');
    expect(transportsText(connection())).toBe('UDP 5060, TCP 5060');
  });
});
