// The softphone's states as the user's sentences.
import type { MessageKey } from '../i18n';
import type { PhoneCall, Registration } from './types';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** JsSIP's registration causes (and this UI's own) → the sentence's reason. */
const REASONS: Partial<Record<string, MessageKey>> = {
  'Connection Error': 'phone.reason.connection',
  'Authentication Error': 'phone.reason.auth',
  'Request Timeout': 'phone.reason.timeout',
  'Rejected': 'phone.reason.rejected',
  'Forbidden': 'phone.reason.rejected',
  unavailable: 'phone.reason.unavailable',
  disabled: 'phone.reason.disabled',
};

export function describeRegistration(t: T, r: Registration): string {
  if (r.state !== 'failed') return t(`phone.state.${r.state}`);
  const key = r.reason ? REASONS[r.reason] : undefined;
  return t('phone.state.failed', { reason: key ? t(key) : (r.reason ?? '—') });
}

/** JsSIP's end causes of a call that never connected → why, as for calls the card places. */
const FAILURES: Partial<Record<string, MessageKey>> = {
  Busy: 'placed.callee_busy',
  Rejected: 'placed.callee_declined',
  'Not Found': 'placed.callee_not_found',
  Unavailable: 'placed.callee_unavailable',
  'No Answer': 'placed.no_answer',
  'User Denied Media Access': 'placed.mic_denied',
  'Address Incomplete': 'placed.callee_not_found',
};

/** Why my outgoing call failed, or null (answered, cancelled by me, or a cause not worth a notice). */
export function callFailure(call: PhoneCall): MessageKey | null {
  if (call.phase !== 'ended' || call.answeredAt !== null || call.direction !== 'out' || call.endedHere) return null;
  return FAILURES[call.endCause ?? ''] ?? null;
}
