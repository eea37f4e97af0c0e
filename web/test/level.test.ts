import { describe, expect, it } from 'vitest';
import { LEVEL_FLOOR_DB, dbfs, levelOf, rms, smoothLevel } from '../src/softphone/level';

const sine = (amplitude: number, n = 4800, period = 48) => Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * i) / period));

describe('level meter math', () => {
  it('RMS of a constant, a square wave and a sine', () => {
    expect(rms([])).toBe(0);
    expect(rms([0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(rms([1, -1, 1, -1])).toBe(1);
    expect(rms(sine(1))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('dBFS: full scale is 0, half is -6.02, silence is -Infinity', () => {
    expect(dbfs(1)).toBe(0);
    expect(dbfs(0.5)).toBeCloseTo(-6.0206, 4);
    expect(dbfs(0)).toBe(-Infinity);
  });

  it('maps the floor..0 dBFS linearly in dB onto 0..1', () => {
    expect(LEVEL_FLOOR_DB).toBe(-60);
    expect(levelOf(new Float32Array(960))).toBe(0); // digital silence
    expect(levelOf([1, -1, 1, -1])).toBe(1); // full-scale square
    expect(levelOf([0.0316227766, -0.0316227766])).toBeCloseTo(0.5, 6); // -30 dBFS
    expect(levelOf([0.001, -0.001])).toBe(0); // -60 dBFS: at the floor
    expect(levelOf([0.0001, -0.0001])).toBe(0); // below it
    expect(levelOf(sine(1))).toBeCloseTo(1 - 3.0103 / 60, 4); // a full-scale sine is -3 dBFS
    expect(levelOf([2, -2])).toBe(1); // clipped input never exceeds the bar
  });

  it('rises at once and falls back gradually', () => {
    expect(smoothLevel(0.2, 0.9)).toBe(0.9);
    expect(smoothLevel(0.9, 0.1)).toBeCloseTo(0.9 - 0.8 * 0.3, 12);
    let level = 1;
    for (let i = 0; i < 20; i++) level = smoothLevel(level, 0);
    expect(level).toBeLessThan(0.001);
    expect(level).toBeGreaterThan(0);
  });
});
