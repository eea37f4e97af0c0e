import type { Call, Employee, Me, MonitorMode, Role } from '../api/types';

/** Creators and administrators supervise (SPEC §3); operators never see monitoring controls. */
export function isSupervisorRole(role: Role): boolean {
  return role === 'creator' || role === 'administrator';
}

/** The modes offered in the join popup: barge only where the account allows it. */
export function joinModes(me: Me): MonitorMode[] {
  if (!isSupervisorRole(me.role)) return [];
  return me.account.barge_enabled ? ['listen', 'whisper', 'barge'] : ['listen', 'whisper'];
}

/**
 * Whether the employee's time is a join button: a supervisor, a talking employee with a live call
 * that is not their own. The feature being off or the call being taken is left to the server,
 * whose refusal names the reason (SPEC §3) — the UI never fails silently.
 */
export function canJoin(me: Me, employee: Employee): boolean {
  return (
    isSupervisorRole(me.role) &&
    employee.id !== me.id &&
    employee.status === 'talking' &&
    employee.current_call !== null &&
    employee.current_call.state === 'talking'
  );
}

/** The Balance → Tariff menu: changing features is for creators and administrators. */
export function canManageFeatures(me: Me): boolean {
  return isSupervisorRole(me.role);
}

/** The call's own operator records the processing result, once the call has ended. */
export function canSetResult(me: Me, call: Call): boolean {
  return me.role === 'operator' && call.operator?.id === me.id && call.state === 'ended';
}

/** The card's after-call actions that place calls or re-join (supervisors only). */
export function canUseSupervisorActions(me: Me): boolean {
  return isSupervisorRole(me.role);
}
