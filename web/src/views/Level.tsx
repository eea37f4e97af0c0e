import { useEffect, useState } from 'preact/hooks';
import { LevelMeter } from '../softphone/level';
import { useApp } from './context';

/** The level of a stream (0..1), measured while mounted and the stream is there. */
export function useLevel(stream: MediaStream | null): number {
  const app = useApp();
  const [level, setLevel] = useState(0);
  useEffect(() => {
    setLevel(0);
    if (!stream) return;
    let meter: LevelMeter;
    try {
      meter = new LevelMeter(app.media.audioContext(), stream, setLevel);
    } catch {
      return; // no WebAudio: no meter
    }
    return () => meter.stop();
  }, [stream]);
  return level;
}

/** A horizontal meter; `data-level` (0..100) is what tests read. */
export function LevelBar({ level, label, testId }: { level: number; label: string; testId?: string }) {
  const percent = Math.round(level * 100);
  return (
    <div class="level" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid={testId} data-level={percent}>
      <div class="level-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
