import { describe, expect, it } from 'vitest';
import type { EventFrame } from '../src/api/types';
import { Store, loadSnapshot } from '../src/lib/store';
import { EventsClient, backoffDelay, eventsUrl, type SocketLike, type Timers } from '../src/events/client';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  send(frame: object | string) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop() {
    this.onerror?.({});
    this.onclose?.({});
  }
}

/** Timers driven by hand: `advance` runs what is due, no real waiting. */
class ManualTimers implements Timers {
  now = 0;
  private pending: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.pending.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }
  advance(ms: number) {
    this.now += ms;
    const due = this.pending.filter((p) => p.at <= this.now);
    this.pending = this.pending.filter((p) => p.at > this.now);
    due.forEach((p) => p.fn());
  }
  get count() {
    return this.pending.length;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const events: EventFrame[] = [];
  const statuses: string[] = [];
  let resyncs = 0;
  const timers = new ManualTimers();
  const client = new EventsClient({
    url: (since) => eventsUrl({ protocol: 'http:', host: 'cc:8080' }, 'tok', since),
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    onEvent: (f) => events.push(f),
    onResync: () => resyncs++,
    onStatus: (s) => statuses.push(s),
    timers,
    initialDelayMs: 500,
    maxDelayMs: 8000,
  });
  return { client, sockets, events, statuses, timers, resyncs: () => resyncs };
}

describe('backoffDelay', () => {
  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 8000],
    [100, 8000],
  ])('attempt %i → %i ms', (n, ms) => expect(backoffDelay(n, 500, 8000)).toBe(ms));
});

describe('EventsClient', () => {
  it('builds the socket URL on the page origin', () => {
    expect(eventsUrl({ protocol: 'http:', host: 'cc:8080' }, 'a b')).toBe('ws://cc:8080/api/v1/events?access_token=a+b');
    expect(eventsUrl({ protocol: 'https:', host: 'cc' }, 't', 41)).toBe('wss://cc/api/v1/events?access_token=t&since=41');
  });

  it('loads state on the first open, delivers frames in order and drops replays', () => {
    const t = setup();
    t.client.start();
    expect(t.sockets[0].url).toBe('ws://cc:8080/api/v1/events?access_token=tok');
    t.sockets[0].open();
    expect(t.resyncs()).toBe(1);
    t.sockets[0].send({ type: 'presence.changed', seq: 7, data: { id: 1 } });
    t.sockets[0].send({ type: 'call.talking', seq: 8, data: { id: 2 } });
    t.sockets[0].send({ type: 'call.talking', seq: 8, data: { id: 2 } });
    t.sockets[0].send('not json');
    t.sockets[0].send({ nothing: true });
    expect(t.events.map((e) => [e.type, e.seq])).toEqual([
      ['presence.changed', 7],
      ['call.talking', 8],
    ]);
    expect(t.client.seq).toBe(8);
    expect(t.statuses).toEqual(['connecting', 'open']);
  });

  it('reconnects with backoff and ?since=<last seq>, resetting the backoff once open', () => {
    const t = setup();
    t.client.start();
    t.sockets[0].open();
    t.sockets[0].send({ type: 'call.ringing', seq: 3 });
    t.sockets[0].drop();
    expect(t.sockets).toHaveLength(1);
    t.timers.advance(499);
    expect(t.sockets).toHaveLength(1);
    t.timers.advance(1);
    expect(t.sockets[1].url).toBe('ws://cc:8080/api/v1/events?access_token=tok&since=3');
    t.sockets[1].drop(); // refused before opening
    t.timers.advance(999);
    expect(t.sockets).toHaveLength(2);
    t.timers.advance(1);
    expect(t.sockets).toHaveLength(3);
    t.sockets[2].drop();
    t.timers.advance(2000);
    expect(t.sockets).toHaveLength(4);
    t.sockets[3].open();
    expect(t.resyncs()).toBe(1); // resumed, not restarted
    t.sockets[3].send({ type: 'call.talking', seq: 4 });
    t.sockets[3].drop();
    t.timers.advance(500);
    expect(t.sockets).toHaveLength(5);
    expect(t.sockets[4].url).toContain('since=4');
    expect(t.events.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('refetches on a resync frame and resumes from its seq', () => {
    const t = setup();
    t.client.start();
    t.sockets[0].open();
    t.sockets[0].send({ type: 'call.ringing', seq: 10 });
    t.sockets[0].drop();
    t.timers.advance(500);
    t.sockets[1].open();
    t.sockets[1].send({ type: 'resync', seq: 400 });
    expect(t.resyncs()).toBe(2);
    expect(t.events.map((e) => e.type)).toEqual(['call.ringing']);
    t.sockets[1].send({ type: 'call.ended', seq: 401 });
    expect(t.events.map((e) => e.seq)).toEqual([10, 401]);
    expect(t.client.seq).toBe(401);
  });

  it('treats a gap in seq as lost events: refetch, then go on', () => {
    const t = setup();
    t.client.start();
    t.sockets[0].open();
    t.sockets[0].send({ type: 'a', seq: 1 });
    t.sockets[0].send({ type: 'b', seq: 5 });
    expect(t.resyncs()).toBe(2);
    expect(t.events.map((e) => e.seq)).toEqual([1, 5]);
  });

  it('stops for good: closes the socket and cancels a pending reconnect', () => {
    const t = setup();
    t.client.start();
    t.sockets[0].open();
    t.sockets[0].drop();
    expect(t.timers.count).toBe(1);
    t.client.stop();
    expect(t.timers.count).toBe(0);
    t.timers.advance(60_000);
    expect(t.sockets).toHaveLength(1);

    const u = setup();
    u.client.start();
    u.sockets[0].open();
    u.client.stop();
    expect(u.sockets[0].closed).toBe(true);
    u.sockets[0].onclose?.({}); // handlers were detached
    u.timers.advance(60_000);
    expect(u.sockets).toHaveLength(1);
    expect(u.statuses.at(-1)).toBe('closed');
  });
});

describe('loadSnapshot', () => {
  it('sets the snapshot when nothing changed meanwhile', async () => {
    const store = new Store<number[] | null>(null);
    await loadSnapshot(store, async () => [1]);
    expect(store.get()).toEqual([1]);
  });
  it('refetches when a live event changed the store during the fetch', async () => {
    const store = new Store<string[]>(['none']);
    const replies = ['stale', 'fresh'];
    let calls = 0;
    await loadSnapshot(store, async () => {
      calls++;
      const reply = [replies.shift()!];
      if (calls === 1) store.set(['connected by event']); // arrives while the request is in flight
      return reply;
    });
    expect(calls).toBe(2);
    expect(store.get()).toEqual(['fresh']);
  });
  it('gives up after the attempts and keeps the live state', async () => {
    const store = new Store<number>(0);
    let n = 0;
    await loadSnapshot(store, async () => {
      store.set(++n * 100);
      return -1;
    }, 3);
    expect(store.get()).toBe(300);
  });
});
