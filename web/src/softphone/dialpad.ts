// The dial pad: which keys there are, what a typed number may hold, and the SIP target it calls.

/** The keys in telephone order (rows of three). */
export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The letters under the digits, as on a phone. */
export const DIAL_LETTERS: Partial<Record<string, string>> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

export const MAX_DIAL_LENGTH = 32;

export function isDtmfTone(key: string): boolean {
  return /^[0-9*#]$/.test(key);
}

/** The number after a key press: digits, * and #, a leading + only; at most MAX_DIAL_LENGTH. */
export function pressKey(number: string, key: string): string {
  if (number.length >= MAX_DIAL_LENGTH) return number;
  if (isDtmfTone(key) || (key === '+' && number === '')) return number + key;
  return number;
}

/** Typed or pasted text as a number: separators ( -.()/space ) dropped, anything else refused. */
export function cleanNumber(text: string): string | null {
  const stripped = text.replace(/[\s\-.()/]/g, '');
  if (!/^\+?[0-9*#]*$/.test(stripped) || stripped.length > MAX_DIAL_LENGTH) return null;
  return stripped;
}

/** The SIP URI to call for a typed number in the account's domain; null when it has no digit. */
export function dialTarget(text: string, realm: string): string | null {
  const number = cleanNumber(text);
  if (!number || !/[0-9]/.test(number) || !realm) return null;
  return `sip:${number}@${realm}`;
}
