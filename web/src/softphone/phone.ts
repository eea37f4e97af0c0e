// The browser softphone: registration, one call at a time, the server's monitor calls answered by
// themselves, mute and DTMF. JsSIP does the SIP; this keeps the state the UI shows.
import { Store } from '../lib/store';
import { dialTarget, isDtmfTone } from './dialpad';
import type {
  MediaPort,
  NewSessionEvent,
  PhoneCall,
  PhoneState,
  Registration,
  SessionLike,
  SessionOptions,
  SoftphoneCredentials,
  Tone,
  UaFactory,
  UaLike,
} from './types';

/**
 * The server is ICE-lite on the LAN: no STUN/TURN; RTP and RTCP on one port. No bundlePolicy
 * 'max-bundle': the server's single audio m-line has no BUNDLE group, which max-bundle refuses.
 */
export const PC_CONFIG: RTCConfiguration = { iceServers: [], rtcpMuxPolicy: 'require' };

/** RFC 4733 telephone-events in the RTP stream (not SIP INFO). */
const DTMF = { transportType: 'RFC2833', duration: 100, interToneGap: 70 };

/** The INVITE of a monitor session the server places to the supervisor's browser. */
export function monitorOf(request: { getHeader(name: string): string | undefined }): { autoAnswer: boolean; monitorId: string | null } {
  const monitorId = request.getHeader('X-Suflyor-Monitor')?.trim() || null;
  const callInfo = request.getHeader('Call-Info') ?? '';
  return { autoAnswer: monitorId !== null || /;\s*answer-after\s*=\s*0\b/i.test(callInfo), monitorId };
}

const initial: PhoneState = { registration: { state: 'unregistered' }, call: null, muted: false, mic: 'unknown', silent: false };

export class Softphone {
  readonly state = new Store<PhoneState>(initial);
  /** What this page sends (the microphone, or the microphone test while idle): the level meter's input. */
  readonly local = new Store<MediaStream | null>(null);
  /** What this page plays. */
  readonly remote = new Store<MediaStream | null>(null);
  private ua: UaLike | null = null;
  private session: SessionLike | null = null;
  private realm = '';
  private seq = 0;
  private micTest: MediaStream | null = null;

  constructor(
    private readonly makeUa: UaFactory,
    private readonly media: MediaPort,
    private readonly now: () => number = Date.now,
  ) {}

  get registered(): boolean {
    return this.state.get().registration.state === 'registered';
  }

  /** A call is ringing or in progress (a new one is refused busy meanwhile). */
  get busy(): boolean {
    const phase = this.state.get().call?.phase;
    return phase !== undefined && phase !== 'ended';
  }

  // ---- registration ---------------------------------------------------------------------------

  /** Registers with these credentials (a running UA is stopped first). */
  start(credentials: SoftphoneCredentials): void {
    this.stop();
    if (!credentials.enabled) {
      this.setRegistration({ state: 'failed', reason: credentials.reason || 'disabled' });
      return;
    }
    this.realm = credentials.realm;
    const ua = this.makeUa(credentials);
    this.ua = ua;
    const mine =
      <E>(handle: (e: E) => void) =>
      (e: E) => {
        if (this.ua === ua) handle(e);
      };
    ua.on('connecting', mine(() => this.state.get().registration.state === 'unregistered' && this.setRegistration({ state: 'registering' })));
    ua.on('connected', mine(() => !this.registered && this.setRegistration({ state: 'registering' })));
    ua.on('disconnected', mine(() => this.setRegistration({ state: 'failed', reason: 'Connection Error' })));
    ua.on('registered', mine(() => this.setRegistration({ state: 'registered' })));
    ua.on('unregistered', mine(() => this.setRegistration({ state: 'unregistered' })));
    ua.on('registrationFailed', mine((e: { cause?: string }) => this.setRegistration({ state: 'failed', reason: e?.cause || 'Rejected' })));
    ua.on('newRTCSession', mine((e: NewSessionEvent) => this.onSession(e)));
    this.setRegistration({ state: 'registering' });
    ua.start();
  }

  /** Hangs up and unregisters (sign-out, or the ring device is no longer the browser). */
  stop(): void {
    const ua = this.ua;
    this.ua = null;
    if (this.session && !this.session.isEnded()) this.hangUp();
    this.closeMicTest();
    if (ua) ua.stop(); // JsSIP unregisters, then closes the socket
    this.setRegistration({ state: 'unregistered' });
  }

  /**
   * stop(), settled once the user agent has unregistered and closed its socket (JsSIP emits
   * 'disconnected' then), or after `ms`: sign-out waits for it, so the un-REGISTER still
   * authenticates with this session's secret, and the server drops the tab's binding.
   */
  stopped(ms = 3000): Promise<void> {
    const ua = this.ua;
    const done = new Promise<void>((resolve) => {
      if (!ua) return resolve();
      const timer = setTimeout(resolve, ms);
      ua.on('disconnected', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.stop();
    return done;
  }

  /** No registration is possible (no credentials for this session): says why. */
  unavailable(reason: string): void {
    this.stop();
    this.setRegistration({ state: 'failed', reason });
  }

  // ---- calls ----------------------------------------------------------------------------------

  /** Calls a number (the dial pad); false when it cannot be placed now. */
  async dial(number: string): Promise<boolean> {
    const target = dialTarget(number, this.realm);
    if (!this.ua || !this.registered || this.busy || !target) return false;
    const ua = this.ua;
    const seq = this.begin({ direction: 'out', phase: 'ringing-out', remote: number, remoteName: '', monitorId: null, autoAnswer: false });
    const stream = await this.localAudio();
    if (this.ua !== ua || this.state.get().call?.seq !== seq || this.state.get().call?.phase === 'ended') {
      this.media.release(stream);
      return false;
    }
    try {
      this.session = ua.call(target, { mediaStream: stream, pcConfig: PC_CONFIG, eventHandlers: this.handlers(seq) });
    } catch {
      this.finish(seq, 'Failed', true);
      return false;
    }
    return true;
  }

  /** Answers the ringing call (the incoming notice's «Ответить»; monitor calls answer themselves). */
  async answer(): Promise<void> {
    const session = this.session;
    const call = this.state.get().call;
    if (!session || call?.phase !== 'ringing-in') return;
    const stream = await this.localAudio();
    if (this.session !== session || session.isEnded()) {
      this.media.release(stream);
      return;
    }
    session.answer({ mediaStream: stream, pcConfig: PC_CONFIG });
  }

  /** Declines a ringing call. */
  decline(): void {
    const session = this.session;
    if (!session || this.state.get().call?.phase !== 'ringing-in') return;
    this.markEndedHere();
    session.terminate({ status_code: 603, reason_phrase: 'Decline' });
  }

  /** Hangs up (or cancels a call still ringing out). */
  hangUp(): void {
    const session = this.session;
    const call = this.state.get().call;
    if (!call || call.phase === 'ended') return;
    this.markEndedHere();
    if (session && !session.isEnded()) session.terminate();
    else this.finish(call.seq, 'Canceled', true); // still getting the microphone: no session yet
  }

  /** A dial pad key during the call, as RFC 4733 events. */
  sendDtmf(tone: string): boolean {
    if (!this.session || this.state.get().call?.phase !== 'talking' || !isDtmfTone(tone)) return false;
    // RFC 4733 needs the media transport up (RTCDTMFSender.canInsertDTMF); JsSIP would throw.
    const dtmf = this.session.connection?.getSenders?.().find((s) => s.track?.kind === 'audio')?.dtmf;
    if (dtmf && !dtmf.canInsertDTMF) return false;
    try {
      this.session.sendDTMF(tone, DTMF);
      return true;
    } catch {
      return false;
    }
  }

  setMuted(muted: boolean): void {
    if (this.session && this.state.get().call?.phase === 'talking') {
      if (muted) this.session.mute({ audio: true });
      else this.session.unmute({ audio: true });
    }
    this.patch({ muted });
  }

  // ---- microphone -----------------------------------------------------------------------------

  async refreshPermission(): Promise<void> {
    const mic = await this.media.permission();
    this.patch({ mic });
  }

  /** Opens the microphone while idle, for the level meter (and the browser's permission prompt). */
  async openMicTest(): Promise<boolean> {
    if (this.micTest || this.busy) return this.micTest !== null;
    try {
      const stream = await this.media.microphone();
      if (this.busy) {
        this.media.release(stream);
        return false;
      }
      this.micTest = stream;
      this.local.set(stream);
      this.patch({ mic: 'granted' });
      return true;
    } catch (e) {
      this.patch({ mic: deniedOr(e, this.state.get().mic) });
      return false;
    }
  }

  closeMicTest(): void {
    if (!this.micTest) return;
    this.media.release(this.micTest);
    if (this.local.get() === this.micTest) this.local.set(null);
    this.micTest = null;
  }

  // ---- internals ------------------------------------------------------------------------------

  private onSession(e: NewSessionEvent): void {
    if (e.originator !== 'remote') return; // ours: dial() wires it
    if (this.busy) {
      e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const { autoAnswer, monitorId } = monitorOf(e.request);
    const identity = e.session.remote_identity;
    const seq = this.begin({ direction: 'in', phase: 'ringing-in', remote: identity.uri.user ?? '', remoteName: identity.display_name ?? '', monitorId, autoAnswer });
    this.session = e.session;
    for (const [event, handler] of Object.entries(this.handlers(seq))) e.session.on(event, handler);
    if (autoAnswer) void this.answer();
  }

  /** The session's events for call `seq` (a late event of an older call changes nothing). */
  private handlers(seq: number): Record<string, (e: any) => void> {
    const current = () => this.state.get().call?.seq === seq;
    return {
      peerconnection: (e: { peerconnection: RTCPeerConnection }) =>
        e.peerconnection.addEventListener('track', (t: RTCTrackEvent) => current() && this.play(t.streams[0] ?? new MediaStream([t.track]))),
      accepted: () => current() && this.talking(),
      confirmed: () => current() && this.talking(),
      ended: (e: { cause?: string; originator?: string }) => this.finish(seq, e?.cause ?? 'Terminated', e?.originator === 'local'),
      failed: (e: { cause?: string; originator?: string }) => this.finish(seq, e?.cause ?? 'Failed', e?.originator === 'local'),
      muted: () => current() && this.patch({ muted: true }),
      unmuted: () => current() && this.patch({ muted: false }),
    };
  }

  private begin(call: Omit<PhoneCall, 'seq' | 'answeredAt'>): number {
    this.closeMicTest();
    const seq = ++this.seq;
    this.patch({ call: { ...call, seq, answeredAt: null }, muted: false, silent: false });
    return seq;
  }

  private talking(): void {
    const call = this.state.get().call;
    if (!call || call.phase === 'talking' || call.phase === 'ended') return;
    this.patch({ call: { ...call, phase: 'talking', answeredAt: this.now() } });
    // A peer connection whose track event came before the handler: play its receivers.
    const pc = this.session?.connection;
    if (!this.remote.get() && pc && typeof MediaStream !== 'undefined') {
      const tracks = pc.getReceivers().map((r) => r.track).filter((t): t is MediaStreamTrack => !!t);
      if (tracks.length) this.play(new MediaStream(tracks));
    }
  }

  private finish(seq: number, cause: string, here: boolean): void {
    const call = this.state.get().call;
    if (!call || call.seq !== seq || call.phase === 'ended') return;
    this.session = null;
    const local = this.local.get();
    if (local) this.media.release(local);
    this.local.set(null);
    this.play(null);
    this.patch({ call: { ...call, phase: 'ended', endCause: cause, endedHere: call.endedHere || here }, muted: false });
  }

  private markEndedHere(): void {
    const call = this.state.get().call;
    if (call) this.patch({ call: { ...call, endedHere: true } });
  }

  private play(stream: MediaStream | null): void {
    this.remote.set(stream);
    this.media.play(stream);
  }

  /** The microphone, or silence when it cannot be had (the call still plays what it hears). */
  private async localAudio(): Promise<MediaStream> {
    let stream: MediaStream;
    try {
      stream = await this.media.microphone();
      this.patch({ mic: 'granted', silent: false });
    } catch (e) {
      stream = this.media.silence();
      this.patch({ mic: deniedOr(e, this.state.get().mic), silent: true });
    }
    this.local.set(stream);
    return stream;
  }

  private setRegistration(registration: Registration): void {
    const now = this.state.get().registration;
    if (now.state === registration.state && now.reason === registration.reason) return;
    this.patch({ registration });
  }

  private patch(change: Partial<PhoneState>): void {
    const before = this.state.get();
    this.state.set({ ...before, ...change });
    const tone = toneOf(this.state.get().call);
    if (tone !== toneOf(before.call)) this.media.tone(tone);
  }
}

/** An incoming call rings (unless answered by itself); an outgoing one has ringback until answered. */
function toneOf(call: PhoneCall | null): Tone | null {
  if (call?.phase === 'ringing-in' && !call.autoAnswer) return 'ring';
  if (call?.phase === 'ringing-out') return 'ringback';
  return null;
}

function deniedOr(error: unknown, before: PhoneState['mic']): PhoneState['mic'] {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : before;
}

export type { SessionOptions };
