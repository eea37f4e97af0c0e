import { describe, expect, it } from 'vitest';
import { DIAL_KEYS, DIAL_LETTERS, MAX_DIAL_LENGTH, cleanNumber, dialTarget, isDtmfTone, pressKey } from '../src/softphone/dialpad';

describe('dial pad', () => {
  it('has the twelve keys in telephone order with their letters', () => {
    expect(DIAL_KEYS.join('')).toBe('123456789*0#');
    expect(DIAL_LETTERS['2']).toBe('ABC');
    expect(DIAL_LETTERS['7']).toBe('PQRS');
    expect(DIAL_LETTERS['1']).toBeUndefined();
  });

  it('DTMF tones are the digits, * and # only (RFC 4733 events 0-11)', () => {
    for (const key of DIAL_KEYS) expect(isDtmfTone(key)).toBe(true);
    for (const key of ['+', 'A', '', '12', ' ']) expect(isDtmfTone(key)).toBe(false);
  });

  it('builds a number key by key: + only first, at most MAX_DIAL_LENGTH', () => {
    let n = '';
    for (const k of ['+', '7', '+', '4', 'x', '*', '#']) n = pressKey(n, k);
    expect(n).toBe('+74*#');
    const long = '1'.repeat(MAX_DIAL_LENGTH);
    expect(pressKey(long, '2')).toBe(long);
  });

  it('cleans typed and pasted numbers, refusing letters', () => {
    expect(cleanNumber('+7 (495) 111-22-33')).toBe('+74951112233');
    expect(cleanNumber('8.800.555/35 35')).toBe('88005553535');
    expect(cleanNumber('')).toBe('');
    expect(cleanNumber('call me')).toBeNull();
    expect(cleanNumber('7+7')).toBeNull();
    expect(cleanNumber('1'.repeat(MAX_DIAL_LENGTH + 1))).toBeNull();
  });

  it('calls sip:<number>@<realm>, needing a digit and a realm', () => {
    expect(dialTarget('+7 495 111 22 33', 'example.com')).toBe('sip:+74951112233@example.com');
    expect(dialTarget('101', '127.0.0.1')).toBe('sip:101@127.0.0.1');
    expect(dialTarget('*#', 'example.com')).toBeNull();
    expect(dialTarget('', 'example.com')).toBeNull();
    expect(dialTarget('101', '')).toBeNull();
    expect(dialTarget('alice', 'example.com')).toBeNull();
  });
});
