// The page's audio: microphone, the silent stand-in, the <audio> element the far end plays in, and
// the speaker it plays on (setSinkId where the browser has it).
import type { KeyValue } from '../lib/store';
import type { MediaPort, MicPermission } from './types';

const SPEAKER_KEY = 'suflyor.speaker';

export interface Speaker {
  id: string;
  label: string;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

export class PageMedia implements MediaPort {
  readonly audio: SinkAudio;
  private context: AudioContext | null = null;

  constructor(private readonly storage: KeyValue) {
    this.audio = new Audio() as SinkAudio;
    this.audio.autoplay = true;
    const saved = storage.getItem(SPEAKER_KEY);
    if (saved && this.speakerChoice) void this.audio.setSinkId!(saved).catch(() => storage.removeItem(SPEAKER_KEY));
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
