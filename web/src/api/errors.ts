import type { Person } from './types';

/** A refusal of the API (`{"error":{"code","message",...}}`) or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly by: Person | null = null,
    readonly field: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Status 0: the request never got an answer. */
export const NETWORK_ERROR = 'network';

/** Turns a non-2xx reply (status and raw body text) into an ApiError. Pure, so it is tested alone. */
export function errorFromReply(status: number, body: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = null;
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (error && typeof error.code === 'string') {
    const by = error.by as Person | null | undefined;
    return new ApiError(
      status,
      error.code,
      typeof error.message === 'string' ? error.message : error.code,
      by && typeof by.name === 'string' ? { id: Number(by.id), name: by.name } : null,
      typeof error.field === 'string' ? error.field : null,
      typeof error.retry_after_seconds === 'number' ? error.retry_after_seconds : null,
    );
  }
  return new ApiError(status, `http_${status}`, body.trim().slice(0, 200) || `HTTP ${status}`);
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
