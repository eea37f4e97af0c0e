// Test doubles of the few JsSIP objects the softphone drives (UA, RTCSession, the INVITE) and of
// the page's audio. The real JsSIP path is proven end to end in the browser (e2e/softphone.mjs).
import type { MediaPort, MicPermission, SessionLike, SessionOptions, SipRequestLike, SoftphoneCredentials, UaLike } from '../src/softphone/types';

class Emitter {
  private readonly listeners = new Map<string, ((e: any) => void)[]>();
  on(event: string, listener: (e: any) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, e?: unknown) {
    for (const l of this.listeners.get(event) ?? []) l(e);
  }
}

export class FakeSession extends Emitter implements SessionLike {
  answered: SessionOptions | null = null;
  terminated: { status_code?: number; reason_phrase?: string } | null = null;
  dtmf: { tones: string; options: unknown }[] = [];
  muteCalls: string[] = [];
  private ended = false;
  /** The peer connection: null, or just what the DTMF check reads. */
  connection: RTCPeerConnection | null = null;
  constructor(
    readonly direction: 'incoming' | 'outgoing',
    user: string | null,
    name: string | null = null,
  ) {
    super();
    this.remote_identity = { uri: { user }, display_name: name };
  }
  readonly remote_identity: { uri: { user: string | null }; display_name: string | null };
  answer(options: SessionOptions) {
    this.answered = options;
  }
  /** JsSIP ends the session synchronously and emits `ended`/`failed` (originator local). */
  terminate(options: { status_code?: number; reason_phrase?: string } = {}) {
    this.terminated = options;
    this.end(this.answered || this.direction === 'outgoing' ? 'ended' : 'failed', this.answered ? 'Terminated' : 'Rejected', 'local');
  }
  sendDTMF(tones: string, options?: unknown) {
    this.dtmf.push({ tones, options });
  }
  mute(o?: { audio?: boolean }) {
    this.muteCalls.push(`mute:${o?.audio}`);
    this.emit('muted', { audio: true });
  }
  unmute(o?: { audio?: boolean }) {
    this.muteCalls.push(`unmute:${o?.audio}`);
    this.emit('unmuted', { audio: true });
  }
  isEnded() {
    return this.ended;
  }
  end(event: 'ended' | 'failed', cause: string, originator: 'local' | 'remote' = 'remote') {
    if (this.ended) return;
    this.ended = true;
    this.emit(event, { cause, originator });
  }
}

export function invite(headers: Record<string, string> = {}): SipRequestLike {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { getHeader: (n) => lower[n.toLowerCase()], hasHeader: (n) => n.toLowerCase() in lower };
}

export class FakeUa extends Emitter implements UaLike {
  started = 0;
  stopped = 0;
  calls: { target: string; options: SessionOptions; session: FakeSession }[] = [];
  constructor(readonly credentials: SoftphoneCredentials) {
    super();
  }
  start() {
    this.started++;
  }
  stop() {
    this.stopped++;
  }
  call(target: string, options: SessionOptions) {
    const session = new FakeSession('outgoing', target.replace(/^sip:([^@]+)@.*$/, '$1'));
    for (const [event, handler] of Object.entries(options.eventHandlers ?? {})) session.on(event, handler);
    this.emit('newRTCSession', { originator: 'local', session, request: invite() });
    this.calls.push({ target, options, session });
    return session;
  }
  /** The server's INVITE arrives. */
  incoming(session: FakeSession, headers: Record<string, string> = {}) {
    this.emit('newRTCSession', { originator: 'remote', session, request: invite(headers) });
  }
}

/** Streams are opaque to the state machine: tagged objects stand in for them. */
export const stream = (tag: string) => ({ tag }) as unknown as MediaStream;

export class FakeMedia implements MediaPort {
  micError: { name: string } | null = null;
  permissionState: MicPermission = 'prompt';
  released: unknown[] = [];
  played: (MediaStream | null)[] = [];
  tones: (string | null)[] = [];
  tone(kind: string | null) {
    this.tones.push(kind);
  }
  opened = 0;
  microphone() {
    this.opened++;
    return this.micError ? Promise.reject(this.micError) : Promise.resolve(stream(`mic${this.opened}`));
  }
  silence() {
    return stream('silence');
  }
  permission() {
    return Promise.resolve(this.permissionState);
  }
  play(remote: MediaStream | null) {
    this.played.push(remote);
  }
  release(s: MediaStream) {
    this.released.push(s);
  }
}

export const credentials = (over: Partial<SoftphoneCredentials> = {}): SoftphoneCredentials => ({
  enabled: true,
  ws_url: 'ws://127.0.0.1:5066',
  uri: 'sip:alice@example.com',
  authorization_user: 'alice',
  password: 'per-session-secret',
  display_name: 'Alice',
  realm: 'example.com',
  ...over,
});

/** Lets the awaited microphone promise settle. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
