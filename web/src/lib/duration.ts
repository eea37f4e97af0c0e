/** "m:ss" under an hour, "h:mm:ss" from an hour on; negative spans (clock skew) read as 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Milliseconds from an ISO time to `now`, corrected by the server clock's offset; null if none. */
export function elapsedSince(iso: string | null | undefined, now: number, serverOffsetMs = 0): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, now + serverOffsetMs - at);
}

/** How long until the shown "m:ss" text changes (the next whole second of the span). */
export function msUntilNextTick(elapsedMs: number): number {
  return 1000 - (Math.max(0, elapsedMs) % 1000);
}

export function formatClock(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return at.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
