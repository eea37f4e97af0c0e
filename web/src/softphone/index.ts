// The browser softphone (issue 14): state machine, audio, dial pad and the JsSIP user agent.
export { Softphone, PC_CONFIG, monitorOf } from './phone';
export { PageMedia, speakerList, type Speaker } from './media';
export { LevelMeter, levelOf, smoothLevel, rms, dbfs, LEVEL_FLOOR_DB } from './level';
export { DIAL_KEYS, DIAL_LETTERS, pressKey, cleanNumber, dialTarget, isDtmfTone } from './dialpad';
export { pickCurrentCall, sameNumber } from './linkage';
export type * from './types';
export { describeRegistration, callFailure } from './describe';
