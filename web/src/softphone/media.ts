// The page's audio: microphone, the silent stand-in, the <audio> element the far end plays in, and
// the speaker it plays on (setSinkId where the browser has it).
import type { KeyValue } from '../lib/store';
import type { MediaPort, MicPermission, Tone } from './types';

/** The ring of an incoming call (two tones, as desk phones ring) and the ringback (425 Hz, 0.8 s in 4 s). */
export const CADENCE: Record<Tone, { frequencies: number[]; onMs: number; offMs: number; gain: number }> = {
  ring: { frequencies: [440, 480], onMs: 1000, offMs: 2000, gain: 0.12 },
  ringback: { frequencies: [425], onMs: 800, offMs: 3200, gain: 0.08 },
};

const SPEAKER_KEY = 'suflyor.speaker';

export interface Speaker {
  id: string;
  label: string;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

export class PageMedia implements MediaPort {
  readonly audio: SinkAudio;
  private context: AudioContext | null = null;
  private toneStop: (() => void) | null = null;

  constructor(private readonly storage: KeyValue) {
    this.audio = new Audio() as SinkAudio;
    this.audio.autoplay = true;
    const saved = storage.getItem(SPEAKER_KEY);
    if (saved && this.speakerChoice) void this.audio.setSinkId!(saved).catch(() => storage.removeItem(SPEAKER_KEY));
    // Browsers start audio only after a gesture: a page restored by a reload resumes on the first one.
    document.addEventListener('pointerdown', () => void this.context?.resume().catch(() => {}), { capture: true });
  }

  /** One AudioContext for the page (silence and level meters), resumed on use. */
  audioContext(): AudioContext {
    if (!this.context) this.context = new AudioContext();
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
    return this.context;
  }

  microphone(): Promise<MediaStream> {
    if (!navigator.mediaDevices?.getUserMedia) return Promise.reject(Object.assign(new Error('no mediaDevices'), { name: 'NotSupportedError' }));
    return navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
  }

  silence(): MediaStream {
    return this.audioContext().createMediaStreamDestination().stream;
  }

  async permission(): Promise<MicPermission> {
    try {
      const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
      return status.state;
    } catch {
      return 'unknown';
    }
  }

  play(remote: MediaStream | null): void {
    this.audio.srcObject = remote;
    if (remote) void this.audio.play().catch(() => {});
  }

  release(stream: MediaStream): void {
    for (const track of stream.getTracks()) track.stop();
  }

  tone(kind: Tone | null): void {
    this.toneStop?.();
    this.toneStop = null;
    if (!kind || typeof AudioContext === 'undefined') return;
    const ctx = this.audioContext();
    const { frequencies, onMs, offMs, gain } = CADENCE[kind];
    const volume = ctx.createGain();
    volume.gain.value = 0;
    volume.connect(ctx.destination);
    const oscillators = frequencies.map((f) => {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(volume);
      o.start();
      return o;
    });
    const burst = () => {
      const t = ctx.currentTime;
      volume.gain.setValueAtTime(gain, t);
      volume.gain.setValueAtTime(0, t + onMs / 1000);
    };
    burst();
    const timer = setInterval(burst, onMs + offMs);
    this.toneStop = () => {
      clearInterval(timer);
      for (const o of oscillators) o.stop();
      volume.disconnect();
    };
  }

  /** Whether the speaker can be chosen (HTMLMediaElement.setSinkId). */
  get speakerChoice(): boolean {
    return typeof this.audio.setSinkId === 'function';
  }

  get speaker(): string {
    return this.storage.getItem(SPEAKER_KEY) ?? '';
  }

  /** The audio outputs (labels are empty until the microphone was allowed once). */
  async speakers(): Promise<Speaker[]> {
    if (!navigator.mediaDevices?.enumerateDevices) return [];
    const devices = await navigator.mediaDevices.enumerateDevices();
    return speakerList(devices);
  }

  async setSpeaker(id: string): Promise<void> {
    if (!this.speakerChoice) return;
    await this.audio.setSinkId!(id);
    const ctx = this.context as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | null;
    await ctx?.setSinkId?.(id).catch(() => {});
    if (id) this.storage.setItem(SPEAKER_KEY, id);
    else this.storage.removeItem(SPEAKER_KEY);
  }
}

/** The audio outputs of enumerateDevices, numbered where the browser hides their names. */
export function speakerList(devices: Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>[]): Speaker[] {
  return devices
    .filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default' && d.deviceId !== '')
    .map((d, i) => ({ id: d.deviceId, label: d.label || `#${i + 1}` }));
}
