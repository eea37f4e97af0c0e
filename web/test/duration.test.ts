import { describe, expect, it } from 'vitest';
import { elapsedSince, formatDuration, msUntilNextTick } from '../src/lib/duration';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [1000, '0:01'],
    [59_999, '0:59'],
    [60_000, '1:00'],
    [61_500, '1:01'],
    [599_000, '9:59'],
    [3_599_999, '59:59'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [36_000_000 + 5_000, '10:00:05'],
    [-5000, '0:00'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('elapsedSince (live ticking)', () => {
  const since = '2024-05-01T10:00:00.000Z';
  const t0 = Date.parse(since);
  it('counts from the server time stamp and ticks each second', () => {
    expect(elapsedSince(since, t0)).toBe(0);
    expect(formatDuration(elapsedSince(since, t0 + 1000)!)).toBe('0:01');
    expect(formatDuration(elapsedSince(since, t0 + 65_400)!)).toBe('1:05');
    expect(formatDuration(elapsedSince(since, t0 + 66_000)!)).toBe('1:06');
  });
  it('corrects by the server clock offset and never goes negative', () => {
    expect(elapsedSince(since, t0 - 2000)).toBe(0);
    expect(elapsedSince(since, t0, 3000)).toBe(3000);
  });
  it('reads no time as null', () => {
    expect(elapsedSince(null, t0)).toBeNull();
    expect(elapsedSince('not a time', t0)).toBeNull();
  });
  it('schedules the next tick on the second boundary', () => {
    expect(msUntilNextTick(0)).toBe(1000);
    expect(msUntilNextTick(65_400)).toBe(600);
    expect(msUntilNextTick(999)).toBe(1);
  });
});
