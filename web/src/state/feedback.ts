// Which news of the live events deserve a notification of their own, kept apart from I/O for
// testing: refusals of joins (reported once), and calls the card placed that failed.
import { placedCallFailure } from '../api/describe';
import type { Call } from '../api/types';
import type { MessageKey } from '../i18n';

/**
 * Refusals of my joins. A join I asked for is reported by its reply; its monitor.refused event,
 * arriving before or after that reply, adds nothing. A join the server made on its own (a follow
 * that fired) is reported from the event alone.
 */
export class JoinRefusals {
  private inFlight = 0;
  /** When a reply reported a refusal: by call, or for any call when the request named none. */
  private readonly reported = new Map<number | 'any', number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = 10_000,
  ) {}

  begin(): void {
    this.inFlight++;
  }

  /** The request is answered; `refusedFor` is the call it was refused for (null: not known). */
  end(refusedFor?: number | null): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (refusedFor !== undefined) this.reported.set(refusedFor ?? 'any', this.now());
  }

  /** Whether a monitor.refused event of mine for `callId` still has to be shown. */
  isNews(callId: number): boolean {
    if (this.inFlight > 0) return false;
    const now = this.now();
    for (const [key, at] of this.reported) if (now - at > this.windowMs) this.reported.delete(key);
    return !this.reported.has(callId) && !this.reported.has('any');
  }
}

/**
 * Calls the card placed (call-client, call-employee): the server rings my phone, then the other
 * side; when that side refuses (busy, unknown number, ...) the call ends with that reason, which
 * call.ended carries. A call may end before its placing request's reply arrives: the last ends are
 * kept for that.
 */
export class PlacedCalls {
  private readonly placed = new Set<number>();
  private readonly ended = new Map<number, Call>();

  constructor(private readonly keep = 50) {}

  /** The reply named the call placed; returns its failure if it already ended. */
  add(callId: number): MessageKey | null {
    const done = this.ended.get(callId);
    if (done) {
      this.ended.delete(callId);
      return failureOf(done);
    }
    this.placed.add(callId);
    return null;
  }

  /** A call.ended: the failure to show when it is one of mine that never connected. */
  onEnded(call: Call): MessageKey | null {
    if (this.placed.delete(call.id)) return failureOf(call);
    this.ended.set(call.id, call);
    if (this.ended.size > this.keep) this.ended.delete(this.ended.keys().next().value as number);
    return null;
  }
}

function failureOf(call: Call): MessageKey | null {
  return placedCallFailure(call.end_reason, call.answered_at !== null);
}
