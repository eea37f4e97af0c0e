// The input level meter: RMS of the analyser's samples on a dB scale, falling back slowly like a
// VU meter so speech reads as a steady bar.

/** The quietest level shown (dBFS); below it the bar is empty. */
export const LEVEL_FLOOR_DB = -60;

/** Root mean square of samples in [-1, 1]. */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / samples.length);
}

/** dBFS of an RMS value (-Infinity for silence). */
export function dbfs(value: number): number {
  return value > 0 ? 20 * Math.log10(value) : -Infinity;
}

/** The bar's fill in [0, 1]: LEVEL_FLOOR_DB → 0, 0 dBFS → 1, linear in dB between. */
export function levelOf(samples: ArrayLike<number>): number {
  const db = dbfs(rms(samples));
  if (!(db > LEVEL_FLOOR_DB)) return 0;
  return Math.min(1, (db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB);
}

/** Rises at once, falls by `release` of the gap per update (10 updates a second). */
export function smoothLevel(previous: number, next: number, release = 0.3): number {
  return next >= previous ? next : previous - (previous - next) * release;
}

/** Reads a stream's level through an AnalyserNode every `intervalMs` until stopped. */
export class LevelMeter {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly buffer: Float32Array<ArrayBuffer>;
  private readonly timer: ReturnType<typeof setInterval>;
  private level = 0;

  constructor(context: AudioContext, stream: MediaStream, onLevel: (level: number) => void, intervalMs = 100) {
    this.source = context.createMediaStreamSource(stream);
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.buffer = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
    this.timer = setInterval(() => {
      this.analyser.getFloatTimeDomainData(this.buffer);
      this.level = smoothLevel(this.level, levelOf(this.buffer));
      onLevel(this.level);
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.source.disconnect();
  }
}
