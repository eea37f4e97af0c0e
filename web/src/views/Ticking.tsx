import { elapsedSince, formatDuration } from '../lib/duration';
import { useNow } from './hooks';

/** A live-ticking span since `since` (ISO), frozen at `until` when given. */
export function Ticking({ since, until }: { since: string | null | undefined; until?: string | null }) {
  const now = useNow();
  const end = until ? Date.parse(until) : now;
  const ms = elapsedSince(since, end);
  return <span class="duration">{ms === null ? '—' : formatDuration(ms)}</span>;
}
