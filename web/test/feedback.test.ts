import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../src/api/types';
import { JoinRefusals, PlacedCalls } from '../src/state/feedback';
import { Notices } from '../src/state/notices';

const ended = (id: number, end_reason: string, answered = false): Call => ({
  id,
  client_number: '74951112233',
  direction: 'outbound',
  state: 'ended',
  operator: { id: 1, name: 'Owner' },
  project: null,
  created_at: null,
  answered_at: answered ? '2024-01-01T00:00:00.000Z' : null,
  ended_at: null,
  end_reason,
  monitored_by: null,
  has_recording: false,
});

describe('JoinRefusals: a refused join is reported once', () => {
  it('drops the event of a join in flight, whether it comes before or after the reply', () => {
    let now = 0;
    const r = new JoinRefusals(() => now, 10_000);
    r.begin();
    expect(r.isNews(9)).toBe(false); // the event before the reply
    r.end(9); // the reply: refused for call 9, reported by the action
    now = 300;
    expect(r.isNews(9)).toBe(false); // the event after the reply
    expect(r.isNews(10)).toBe(true); // another call's refusal (a follow that fired) is news
    now = 10_301;
    expect(r.isNews(9)).toBe(true); // long after: a new refusal
  });
  it('a re-join refused for an unknown call covers every call for a while', () => {
    let now = 0;
    const r = new JoinRefusals(() => now, 10_000);
    r.begin();
    r.end(null);
    expect(r.isNews(4)).toBe(false);
    now = 20_000;
    expect(r.isNews(4)).toBe(true);
  });
  it('a join that succeeded leaves later refusals (of a follow) as news', () => {
    const r = new JoinRefusals(() => 0);
    r.begin();
    r.end();
    expect(r.isNews(9)).toBe(true);
  });
});

describe('PlacedCalls: why a call the card placed did not connect', () => {
  it('reports a failure of my placed call once, and ignores other calls', () => {
    const p = new PlacedCalls();
    expect(p.add(21)).toBeNull();
    expect(p.onEnded(ended(20, 'callee_busy'))).toBeNull(); // not mine
    expect(p.onEnded(ended(21, 'callee_not_found'))).toBe('placed.callee_not_found');
    expect(p.onEnded(ended(21, 'callee_not_found'))).toBeNull();
  });
  it('a call that ended before the reply arrived is reported with the reply', () => {
    const p = new PlacedCalls();
    expect(p.onEnded(ended(30, 'not_answered'))).toBeNull();
    expect(p.add(30)).toBe('placed.not_answered');
  });
  it('says nothing for a conversation that took place', () => {
    const p = new PlacedCalls();
    p.add(40);
    expect(p.onEnded(ended(40, 'operator_hangup', true))).toBeNull();
  });
  it('keeps only the last ends', () => {
    const p = new PlacedCalls(2);
    p.onEnded(ended(1, 'callee_busy'));
    p.onEnded(ended(2, 'callee_busy'));
    p.onEnded(ended(3, 'callee_busy'));
    expect(p.add(1)).toBeNull();
    expect(p.add(3)).toBe('placed.callee_busy');
  });
});

describe('Notices.pushUntil: "ringing your phone" goes when the phone answers', () => {
  afterEach(() => vi.useRealTimers());
  it('settle removes the notice at once and says whether it was shown', () => {
    vi.useFakeTimers();
    const n = new Notices();
    n.pushUntil('ringing:5', 'info', 'Звоним на ваш телефон: Прослушивание', 60_000);
    n.push('info', 'other');
    expect(n.list.get().map((x) => x.text)).toEqual(['Звоним на ваш телефон: Прослушивание', 'other']);
    expect(n.settle('ringing:5')).toBe(true);
    expect(n.list.get().map((x) => x.text)).toEqual(['other']);
    expect(n.settle('ringing:5')).toBe(false);
  });
  it('lasts while the phone rings, beyond the usual 6 s, and then lapses', () => {
    vi.useFakeTimers();
    const n = new Notices();
    n.pushUntil('ringing:6', 'info', 'ringing', 60_000);
    vi.advanceTimersByTime(10_000);
    expect(n.list.get()).toHaveLength(1);
    vi.advanceTimersByTime(50_000);
    expect(n.list.get()).toHaveLength(0);
    expect(n.settle('ringing:6')).toBe(false); // already gone: nothing to replace
  });
});
