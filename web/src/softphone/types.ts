// The softphone's state and the small part of JsSIP it drives (UA, RTCSession, the INVITE), so the
// state machine runs against JsSIP in the page and against a test double in unit tests.

export type RingDevice = 'browser' | 'sip_phone';

/** GET /api/v1/me/softphone: the browser's SIP identity for this session (a per-session secret). */
export interface SoftphoneCredentials {
  enabled: boolean;
  reason?: string;
  ws_url: string;
  uri: string;
  authorization_user: string;
  password: string;
  display_name: string;
  realm: string;
}

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'failed';

export interface Registration {
  state: RegistrationState;
  /** Why it failed (JsSIP's cause, or the server's reason when the softphone is not enabled). */
  reason?: string;
}

/** `ended` stays until the next call, so the UI can say how the last one ended. */
export type CallPhase = 'ringing-in' | 'ringing-out' | 'talking' | 'ended';

export interface PhoneCall {
  /** Increases with every call of this page. */
  seq: number;
  direction: 'in' | 'out';
  phase: CallPhase;
  /** The other side's number (SIP user part) and name, as SIP shows them. */
  remote: string;
  remoteName: string;
  /** The monitor session of the server's auto-answered INVITE (X-Suflyor-Monitor), else null. */
  monitorId: string | null;
  /** The INVITE asked to be answered at once (a monitor call): it does not ring. */
  autoAnswer: boolean;
  /** When the call was answered (Date.now()), for the timer. */
  answeredAt: number | null;
  /** JsSIP's cause when it ended (Terminated, Busy, Rejected, Canceled, ...). */
  endCause?: string;
  /** Ended from this side (hang-up, decline) rather than by the other side. */
  endedHere?: boolean;
}

/** The Permissions API's view of the microphone; `unknown` where the browser does not say. */
export type MicPermission = 'granted' | 'denied' | 'prompt' | 'unknown';

export interface PhoneState {
  registration: Registration;
  call: PhoneCall | null;
  muted: boolean;
  mic: MicPermission;
  /** The call has no microphone (denied or absent): it sends silence, listening still works. */
  silent: boolean;
}

// ---- the JsSIP surface used here ---------------------------------------------------------------

export interface SipRequestLike {
  getHeader(name: string): string | undefined;
  hasHeader(name: string): boolean;
}

export interface SessionOptions {
  mediaStream?: MediaStream;
  mediaConstraints?: MediaStreamConstraints;
  pcConfig?: RTCConfiguration;
  rtcOfferConstraints?: RTCOfferOptions;
  eventHandlers?: Record<string, (e: unknown) => void>;
}

export interface SessionLike {
  readonly direction: 'incoming' | 'outgoing';
  readonly remote_identity: { uri: { user: string | null }; display_name?: string | null };
  readonly connection: RTCPeerConnection | null | undefined;
  on(event: string, listener: (e: any) => void): unknown;
  answer(options: SessionOptions): void;
  terminate(options?: { status_code?: number; reason_phrase?: string }): void;
  sendDTMF(tones: string, options?: { transportType?: string; duration?: number; interToneGap?: number }): void;
  mute(options?: { audio?: boolean }): void;
  unmute(options?: { audio?: boolean }): void;
  isEnded(): boolean;
}

export interface NewSessionEvent {
  originator: 'local' | 'remote';
  session: SessionLike;
  request: SipRequestLike;
}

export interface UaLike {
  on(event: string, listener: (e: any) => void): unknown;
  start(): void;
  stop(): void;
  call(target: string, options: SessionOptions): SessionLike;
}

/** Builds the UA for these credentials (JsSIP's in the page: ./jssip.ts). */
export type UaFactory = (credentials: SoftphoneCredentials) => UaLike;

export type Tone = 'ring' | 'ringback';

/** The page's audio around a call (./media.ts in the page; a double in tests). */
export interface MediaPort {
  /** The microphone; rejects (NotAllowedError, NotFoundError, ...) when it cannot be had. */
  microphone(): Promise<MediaStream>;
  /** A silent track to send when there is no microphone (listening needs none). */
  silence(): MediaStream;
  /** What the Permissions API says about the microphone. */
  permission(): Promise<MicPermission>;
  /** The other side's audio, to play (null: the call is over). */
  play(remote: MediaStream | null): void;
  /** The microphone's stream is no longer needed. */
  release(stream: MediaStream): void;
  /** The ring of an incoming call, the ringback of an outgoing one, or quiet (null). */
  tone(kind: Tone | null): void;
}
