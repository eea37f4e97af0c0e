// Which call of the API is the one the softphone is in. The server's INVITE to the browser names no
// call id, so the operator's live call list decides: their unfinished call whose client number
// matches the SIP caller/callee, else their only unfinished call.
import type { Call } from '../api/types';

const digits = (s: string) => s.replace(/\D/g, '');

/** Two numbers are the same line when their digits match, or one ends with the other's last 10. */
export function sameNumber(a: string, b: string): boolean {
  const x = digits(a);
  const y = digits(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const tail = Math.min(10, x.length, y.length);
  return tail >= 7 && x.slice(-tail) === y.slice(-tail);
}

/** The operator's call the softphone is in, or null while the live events have not told it yet. */
export function pickCurrentCall(calls: Call[], operatorId: number, remote: string): Call | null {
  const open = calls.filter((c) => c.state !== 'ended' && c.operator?.id === operatorId);
  const matching = open.filter((c) => sameNumber(c.client_number, remote));
  if (matching.length > 0) return newest(matching);
  return open.length === 1 ? open[0] : null;
}

function newest(calls: Call[]): Call {
  return calls.reduce((a, b) => (b.id > a.id ? b : a));
}
