// Pure state transitions for the live events (docs/events.md), kept apart from I/O for testing.
import type { Call, CallResult, Card, Comment, Employee, Feature, MonitorMode, MonitorSession } from '../api/types';

export type SessionPhase = 'ringing' | 'joined' | 'ended';

/** The open call card: the call, my monitor session on it (if any) and its comments. */
export interface CardState {
  card: Card;
  session: MonitorSession | null;
  phase: SessionPhase | null;
  comments: Comment[];
}

export interface MonitorEventData {
  session_id: number;
  call_id: number;
  supervisor_id: number;
  mode: MonitorMode;
  state?: string;
  reason?: string;
}

/** presence.changed: the employee replaces the old entry (or joins the list). */
export function applyPresence(team: Employee[], employee: Employee): Employee[] {
  const at = team.findIndex((e) => e.id === employee.id);
  if (at < 0) return [...team, employee];
  const next = team.slice();
  // An event without the ring device (not every one carries it) keeps the one known.
  const ring = employee.ring_device ?? team[at].ring_device;
  next[at] = ring === undefined ? employee : { ...employee, ring_device: ring };
  return next;
}

/** call.*: keeps the employees' current calls fresh (an ended call leaves its operator). */
export function applyCallToTeam(team: Employee[], call: Call): Employee[] {
  let changed = false;
  const next = team.map((e) => {
    if (e.current_call?.id === call.id) {
      changed = true;
      return { ...e, current_call: call.state === 'ended' ? null : call };
    }
    return e;
  });
  return changed ? next : team;
}

/** call.*: the card shows the call's newest state; the card's own fields stay. */
export function applyCallToCard(state: CardState | null, call: Call): CardState | null {
  if (!state || state.card.id !== call.id) return state;
  const ended = call.state === 'ended';
  return {
    ...state,
    card: { ...state.card, ...call },
    phase: ended && state.phase !== null ? 'ended' : state.phase,
  };
}

/** monitor.started/switched/stopped for my session on the open card. */
export function applyMonitorEvent(
  state: CardState | null,
  type: string,
  data: MonitorEventData,
  myId: number,
): CardState | null {
  if (!state || state.card.id !== data.call_id) return state;
  const mine = data.supervisor_id === myId && (state.session === null || state.session.session_id === data.session_id);
  // Someone's join or leave: the card shows who is joined.
  const monitoredBy =
    type === 'monitor.stopped'
      ? state.card.monitored_by?.session_id === data.session_id
        ? null
        : state.card.monitored_by
      : {
          session_id: data.session_id,
          supervisor: state.card.monitored_by?.session_id === data.session_id ? state.card.monitored_by.supervisor : null,
          mode: data.mode,
        };
  const card = { ...state.card, monitored_by: monitoredBy };
  if (!mine || !state.session) return { ...state, card };
  const session = { ...state.session, mode: data.mode };
  if (type === 'monitor.started') return { ...state, card, session, phase: 'ringing' };
  if (type === 'monitor.switched')
    return { ...state, card, session, phase: data.state === 'joined' ? 'joined' : (state.phase ?? 'joined') };
  if (type === 'monitor.stopped')
    return { ...state, card, session: { ...session, end_reason: data.reason ?? null }, phase: 'ended' };
  return state;
}

/** card.result: the operator recorded the call's processing result; the open card shows it. */
export function applyResult(state: CardState | null, data: { call_id: number; result: CallResult | null }): CardState | null {
  if (!state || state.card.id !== data.call_id) return state;
  return { ...state, card: { ...state.card, result: data.result } };
}

/** feature.*: the feature's new state replaces the old one. */
export function applyFeature(features: Feature[], feature: Feature): Feature[] {
  const at = features.findIndex((f) => f.key === feature.key);
  if (at < 0) return [...features, feature];
  const next = features.slice();
  next[at] = feature;
  return next;
}

/** call.*: an operator's own list of recent calls, newest first. */
export function applyCallToList(calls: Call[], call: Call, limit = 20): Call[] {
  const at = calls.findIndex((c) => c.id === call.id);
  if (at >= 0) {
    const next = calls.slice();
    next[at] = { ...next[at], ...call };
    return next;
  }
  return [call, ...calls].slice(0, limit);
}

/**
 * The employees whose next call I will join (re-join armed): a follow event of mine that is not
 * "armed" (cancelled, expired) ends the wait for that employee; other supervisors' events change
 * nothing.
 */
export function applyFollowEvent(ids: number[], type: string, data: Record<string, unknown>, meId: number): number[] {
  if (!type.startsWith('monitor.follow_') || data.supervisor_id !== meId) return ids;
  const employee = Number(data.employee_id);
  if (type === 'monitor.follow_armed') return ids.includes(employee) ? ids : [...ids, employee];
  return ids.filter((id) => id !== employee);
}
