import type { EventFrame } from '../api/types';

/** The part of a browser WebSocket the client uses, so tests can hand it a fake. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface EventsClientOptions {
  /** The socket URL for a connection that resumes after `since` (undefined: a fresh start). */
  url: (since: number | undefined) => string;
  connect: (url: string) => SocketLike;
  onEvent: (frame: EventFrame) => void;
  /** The server could not replay what was missed (resync frame or a gap): refetch all state. */
  onResync: () => void;
  onStatus?: (status: ConnectionStatus) => void;
  timers?: Timers;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Reconnect delay for the n-th consecutive failure (0-based): doubling, capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/**
 * The event WebSocket of docs/events.md: reconnects with exponential backoff, resumes with
 * `?since=<last seq>`, drops replayed duplicates, and asks for a refetch on a resync frame or
 * a gap in `seq`.
 */
export class EventsClient {
  private socket: SocketLike | null = null;
  private lastSeq: number | undefined;
  private attempt = 0;
  private retry: unknown = null;
  private stopped = true;
  private readonly timers: Timers;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(private readonly options: EventsClientOptions) {
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.initialMs = options.initialDelayMs ?? 500;
    this.maxMs = options.maxDelayMs ?? 30_000;
  }

  get seq(): number | undefined {
    return this.lastSeq;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry !== null) this.timers.clearTimeout(this.retry);
    this.retry = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close();
    }
    this.options.onStatus?.('closed');
  }

  private open(): void {
    this.options.onStatus?.('connecting');
    const socket = this.options.connect(this.options.url(this.lastSeq));
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onStatus?.('open');
      // A fresh start has nothing to resume: load the state now that no event can slip by.
      if (this.lastSeq === undefined) this.options.onResync();
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onStatus?.('closed');
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt++, this.initialMs, this.maxMs);
    this.retry = this.timers.setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private receive(data: unknown): void {
    let frame: EventFrame;
    try {
      frame = JSON.parse(String(data)) as EventFrame;
    } catch {
      return; // not ours
    }
    if (typeof frame?.type !== 'string' || typeof frame.seq !== 'number') return;
    if (frame.type === 'resync') {
      this.lastSeq = frame.seq;
      this.options.onResync();
      return;
    }
    if (this.lastSeq !== undefined) {
      if (frame.seq <= this.lastSeq) return; // replayed twice
      if (frame.seq > this.lastSeq + 1) {
        this.lastSeq = frame.seq;
        this.options.onResync(); // something was lost: the state shown may be stale
        this.options.onEvent(frame);
        return;
      }
    }
    this.lastSeq = frame.seq;
    this.options.onEvent(frame);
  }
}

/** The socket URL on the page's own origin. */
export function eventsUrl(location: { protocol: string; host: string }, token: string, since?: number): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const params = new URLSearchParams({ access_token: token });
  if (since !== undefined) params.set('since', String(since));
  return `${scheme}//${location.host}/api/v1/events?${params}`;
}
