import type { MessageKey } from '../i18n';
import { isApiError } from './errors';
import type { Person } from './types';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const KNOWN: Partial<Record<string, MessageKey>> = {
  call_ended: 'error.call_ended',
  feature_not_connected: 'error.feature_not_connected',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  no_supervisor_device: 'error.no_supervisor_device',
  browser_not_registered: 'error.browser_not_registered',
  busy: 'error.busy',
  employee_offline: 'error.employee_offline',
  no_trunk: 'error.no_trunk',
  no_client_number: 'error.no_client_number',
  invalid_credentials: 'error.invalid_credentials',
  deactivated: 'error.deactivated',
  unauthorized: 'error.unauthorized',
  conflict: 'error.conflict',
  network: 'error.network',
};

/** What a refusal carries besides its code: who (already_monitored), when to retry (rate_limited). */
export interface RefusalDetails {
  by?: Person | null;
  retryAfterSeconds?: number | null;
}

/** A refusal as the sentence a user reads: why, and for already_monitored, who. */
export function describeError(t: T, error: unknown): string {
  if (!isApiError(error)) return t('error.other', { message: error instanceof Error ? error.message : String(error) });
  return describeRefusal(t, error.code, error.message, error);
}

/**
 * Also used for monitor.refused events (code, message, and `by` for already_monitored). The
 * server's message is English, so it is shown only for a code this UI does not know.
 */
export function describeRefusal(t: T, code: string, message: string, details?: RefusalDetails): string {
  if (code === 'already_monitored') {
    const name = details?.by?.name;
    return name ? t('error.already_monitored', { name }) : t('error.already_monitored_anon');
  }
  if (code === 'rate_limited') return t('error.rate_limited', { seconds: details?.retryAfterSeconds ?? 60 });
  const key = KNOWN[code];
  if (key) return t(key);
  return t('error.other', { message: message || code });
}

/** The person of an event's `by` field, if it is one. */
export function personOf(value: unknown): Person | null {
  const by = value as { id?: unknown; name?: unknown } | null | undefined;
  return by && typeof by.name === 'string' ? { id: Number(by.id), name: by.name } : null;
}

/**
 * Why a call the card placed (call-client, call-employee) ended without a conversation, as the
 * key of the sentence to show; null when it was answered or ended normally.
 */
export function placedCallFailure(endReason: string | null, answered: boolean): MessageKey | null {
  if (answered || !endReason) return null;
  const key = `placed.${endReason}`;
  return PLACED_FAILURES.has(key) ? (key as MessageKey) : null;
}

const PLACED_FAILURES = new Set<string>([
  'placed.callee_busy',
  'placed.callee_not_found',
  'placed.callee_declined',
  'placed.callee_unavailable',
  'placed.no_answer',
  'placed.declined',
  'placed.not_answered',
  'placed.caller_unavailable',
  'placed.media_failed',
]);
