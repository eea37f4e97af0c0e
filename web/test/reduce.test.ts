import { describe, expect, it } from 'vitest';
import type { Call, Card, Employee, MonitorSession } from '../src/api/types';
import { applyCallToCard, applyCallToTeam, applyFeature, applyFollowEvent, applyMonitorEvent, applyPresence, applyResult, type CardState } from '../src/state/reduce';
import { Notices } from '../src/state/notices';

const call = (id: number, state: Call['state'], extra: Partial<Call> = {}): Call => ({
  id,
  client_number: '74951112233',
  direction: 'inbound',
  state,
  operator: { id: 3, name: 'Olga' },
  project: { id: 1, name: 'Sales' },
  created_at: null,
  answered_at: null,
  ended_at: null,
  end_reason: null,
  monitored_by: null,
  has_recording: false,
  ...extra,
});
const employee = (id: number, status: Employee['status'], current: Call | null = null): Employee => ({
  id,
  name: `E${id}`,
  login: `e${id}`,
  role: 'operator',
  status,
  status_since: '2024-01-01T00:00:00.000Z',
  current_call: current,
});
const session: MonitorSession = { session_id: 5, call_id: 9, supervisor: { id: 1, name: 'Owner' }, mode: 'listen', modes: [], started_at: null, ended_at: null, end_reason: null };
const cardState = (): CardState => ({
  card: { ...call(9, 'talking'), result: null, results: [], monitor_sessions: [], saved: false, comments: 0, duration_ms: 0 } as Card,
  session,
  phase: 'ringing',
  comments: [],
});

describe('live event reducers', () => {
  it('presence.changed replaces or adds the employee', () => {
    const team = [employee(1, 'available'), employee(3, 'available')];
    const next = applyPresence(team, employee(3, 'talking', call(9, 'talking')));
    expect(next.map((e) => e.status)).toEqual(['available', 'talking']);
    expect(team[1].status).toBe('available'); // not mutated
    expect(applyPresence(team, employee(4, 'offline')).map((e) => e.id)).toEqual([1, 3, 4]);
  });

  it('presence.changed without the ring device keeps the one known; with it, takes it', () => {
    const team = [{ ...employee(3, 'available'), ring_device: 'browser' as const }];
    expect(applyPresence(team, employee(3, 'talking'))[0]).toMatchObject({ status: 'talking', ring_device: 'browser' });
    expect(applyPresence(team, { ...employee(3, 'talking'), ring_device: 'sip_phone' })[0].ring_device).toBe('sip_phone');
    expect('ring_device' in applyPresence([employee(3, 'available')], employee(3, 'talking'))[0]).toBe(false);
  });

  it('call.* updates the current call, and an ended one leaves the employee', () => {
    const team = [employee(3, 'talking', call(9, 'talking'))];
    expect(applyCallToTeam(team, call(9, 'talking', { monitored_by: { session_id: 5, supervisor: null, mode: 'listen' } }))[0].current_call?.monitored_by?.mode).toBe('listen');
    expect(applyCallToTeam(team, call(9, 'ended'))[0].current_call).toBeNull();
    expect(applyCallToTeam(team, call(10, 'ended'))).toBe(team);
  });

  it('the card follows its call; the end ends my session phase', () => {
    const s = cardState();
    expect(applyCallToCard(s, call(10, 'ended'))).toBe(s);
    const ended = applyCallToCard(s, call(9, 'ended', { end_reason: 'operator_hangup' }))!;
    expect([ended.card.state, ended.card.end_reason, ended.phase]).toEqual(['ended', 'operator_hangup', 'ended']);
  });

  it('monitor events move my session: ringing → joined → switched → stopped', () => {
    let s: CardState | null = cardState();
    const ev = (mode: 'listen' | 'whisper', extra = {}) => ({ session_id: 5, call_id: 9, supervisor_id: 1, mode, ...extra });
    s = applyMonitorEvent(s, 'monitor.switched', ev('listen', { state: 'joined' }), 1)!;
    expect([s.phase, s.session?.mode]).toEqual(['joined', 'listen']);
    s = applyMonitorEvent(s, 'monitor.switched', ev('whisper'), 1)!;
    expect([s.phase, s.session?.mode, s.card.monitored_by?.mode]).toEqual(['joined', 'whisper', 'whisper']);
    s = applyMonitorEvent(s, 'monitor.stopped', ev('whisper', { reason: 'supervisor_hangup' }), 1)!;
    expect([s.phase, s.session?.end_reason, s.card.monitored_by]).toEqual(['ended', 'supervisor_hangup', null]);
  });

  it('another supervisor\'s session changes who is joined, not my session', () => {
    const s = { ...cardState(), session: null, phase: null };
    const next = applyMonitorEvent(s, 'monitor.started', { session_id: 8, call_id: 9, supervisor_id: 2, mode: 'whisper' }, 1)!;
    expect([next.session, next.phase, next.card.monitored_by?.session_id, next.card.monitored_by?.mode]).toEqual([null, null, 8, 'whisper']);
  });

  it('card.result shows the operator\'s result on the open card at once', () => {
    const s = cardState();
    const result = { id: 2, label: 'Call back', note: 'Tomorrow 10:00', by: { id: 3, name: 'Olga' }, at: '2024-01-01T00:00:00.000Z' };
    const next = applyResult(s, { call_id: 9, result })!;
    expect(next.card.result).toEqual(result);
    expect([next.session, next.phase, next.card.state]).toEqual([s.session, s.phase, s.card.state]);
    expect(s.card.result).toBeNull(); // not mutated
    expect(applyResult(s, { call_id: 10, result })).toBe(s);
    expect(applyResult(null, { call_id: 9, result })).toBeNull();
  });

  it('feature.* replaces the feature by key', () => {
    const f = (state: 'none' | 'connected') => ({ key: 'whisper_listen', state, requested_at: null, connected_at: null, disabled_at: null });
    expect(applyFeature([f('none')], f('connected'))).toEqual([f('connected')]);
  });

  it('shows the same notification once', () => {
    const n = new Notices();
    const a = n.push('error', 'x');
    expect(n.push('error', 'x')).toBe(a);
    n.push('info', 'x', 0);
    expect(n.list.get().map((x) => x.kind)).toEqual(['error', 'info']);
  });
});

describe('applyFollowEvent', () => {
  const mine = (employee: number) => ({ supervisor_id: 1, employee_id: employee });
  it('adds an armed follow once and drops it when cancelled or expired', () => {
    let ids = applyFollowEvent([], 'monitor.follow_armed', mine(5), 1);
    expect(ids).toEqual([5]);
    expect(applyFollowEvent(ids, 'monitor.follow_armed', mine(5), 1)).toBe(ids);
    ids = applyFollowEvent(ids, 'monitor.follow_armed', mine(6), 1);
    expect(ids).toEqual([5, 6]);
    expect(applyFollowEvent(ids, 'monitor.follow_cancelled', mine(5), 1)).toEqual([6]);
    expect(applyFollowEvent(ids, 'monitor.follow_expired', mine(6), 1)).toEqual([5]);
  });
  it("ignores other supervisors' follows and other events", () => {
    const ids = [5];
    expect(applyFollowEvent(ids, 'monitor.follow_cancelled', { supervisor_id: 2, employee_id: 5 }, 1)).toBe(ids);
    expect(applyFollowEvent(ids, 'monitor.started', mine(5), 1)).toBe(ids);
  });
});
