import type { MessageKey } from '../i18n';
import { ApiError, isApiError } from './errors';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const KNOWN: Partial<Record<string, MessageKey>> = {
  call_ended: 'error.call_ended',
  feature_not_connected: 'error.feature_not_connected',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  no_supervisor_device: 'error.no_supervisor_device',
  invalid_credentials: 'error.invalid_credentials',
  unauthorized: 'error.unauthorized',
  conflict: 'error.conflict',
  network: 'error.network',
};

/** A refusal as the sentence a user reads: why, and for already_monitored, who. */
export function describeError(t: T, error: unknown): string {
  if (!isApiError(error)) return t('error.other', { message: error instanceof Error ? error.message : String(error) });
  return describeRefusal(t, error.code, error.message, error);
}

/** Also used for monitor.refused events, which carry only code and message. */
export function describeRefusal(t: T, code: string, message: string, error?: ApiError): string {
  if (code === 'already_monitored') {
    const name = error?.by?.name;
    return name ? t('error.already_monitored', { name }) : message || t('error.already_monitored_anon');
  }
  if (code === 'rate_limited') return t('error.rate_limited', { seconds: error?.retryAfterSeconds ?? 60 });
  const key = KNOWN[code];
  if (key) return t(key);
  return t('error.other', { message: message || code });
}
