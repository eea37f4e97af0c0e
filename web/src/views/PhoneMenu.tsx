import { useEffect, useState } from 'preact/hooks';
import type { RingDevice } from '../api/types';
import type { Speaker } from '../softphone/media';
import { describeRegistration } from '../softphone/describe';
import { useApp } from './context';
import { useStore } from './hooks';
import { LevelBar, useLevel } from './Level';

/** «Телефон» in the header: which device rings, and the browser phone's state, microphone and speaker. */
export function PhoneMenu({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const app = useApp();
  const ring = useStore(app.phone.ring);
  const state = useStore(app.phone.softphone.state);
  if (ring === null) return null; // the server has no browser softphone
  const registration = ring === 'browser' ? state.registration.state : 'off';
  return (
    <div class="menu-anchor">
      <button
        class="nav phone-button"
        data-testid="phone-menu"
        data-ring={ring}
        data-registration={registration}
        aria-expanded={open}
        title={ring === 'browser' ? describeRegistration(app.t, state.registration) : app.t('phone.ring.sip_phone')}
        onClick={onToggle}
      >
        <span class={`dot reg-${registration}`} aria-hidden="true" /> {app.t('phone.title')} ▾
      </button>
      {open && <PhonePanel ring={ring} />}
    </div>
  );
}

function PhonePanel({ ring }: { ring: RingDevice }) {
  const app = useApp();
  const phone = app.phone.softphone;
  const state = useStore(phone.state);
  const local = useStore(phone.local);
  const level = useLevel(local);
  const [testing, setTesting] = useState(false);
  useEffect(() => () => phone.closeMicTest(), []);
  const toggleTest = async () => {
    if (testing) {
      phone.closeMicTest();
      setTesting(false);
    } else setTesting(await phone.openMicTest());
  };
  return (
    <div class="menu right phone-panel" data-testid="phone-panel" onClick={(e) => e.stopPropagation()}>
      <div class="menu-note">{app.t('phone.settings')}</div>
      <fieldset class="ring-choice">
        <legend class="muted small">{app.t('phone.ring')}</legend>
        <div class="switch" role="radiogroup" aria-label={app.t('phone.ring')}>
          {(['browser', 'sip_phone'] as const).map((choice) => (
            <button role="radio" aria-checked={ring === choice} class={ring === choice ? 'on' : ''} data-ring={choice} onClick={() => ring !== choice && void app.phone.choose(choice)}>
              {app.t(`phone.ring.${choice}`)}
            </button>
          ))}
        </div>
        <p class="muted small">{app.t('phone.ring.about')}</p>
      </fieldset>
      {ring === 'browser' && (
        <div class="phone-facts">
          <p data-testid="phone-registration" data-state={state.registration.state} class={state.registration.state === 'failed' ? 'error' : ''}>
            {describeRegistration(app.t, state.registration)}
          </p>
          <p data-testid="phone-mic" data-mic={state.mic}>
            {app.t('phone.mic')}: {app.t(`phone.mic.${state.mic}`)}
          </p>
          <div class="mic-test">
            <LevelBar level={level} label={app.t('phone.level')} testId="mic-level" />
            {!phone.busy && (
              <button class="small" data-testid="mic-test" onClick={() => void toggleTest()}>
                {app.t(testing ? 'phone.micTestStop' : 'phone.micTest')}
              </button>
            )}
          </div>
          <SpeakerChoice />
        </div>
      )}
    </div>
  );
}

/** The audio output, where the browser can choose one (setSinkId); hidden elsewhere. */
function SpeakerChoice() {
  const app = useApp();
  const [speakers, setSpeakers] = useState<Speaker[] | null>(null);
  const [chosen, setChosen] = useState(app.media.speaker);
  const mic = useStore(app.phone.softphone.state).mic;
  useEffect(() => {
    if (!app.media.speakerChoice) return;
    void app.media.speakers().then(setSpeakers, () => setSpeakers([]));
  }, [mic]); // names appear once the microphone is allowed
  if (!app.media.speakerChoice || !speakers || speakers.length === 0) return null;
  return (
    <label class="speaker">
      <span class="muted small">{app.t('phone.speaker')}</span>
      <select
        data-testid="speaker"
        value={chosen}
        onChange={(e) => {
          const id = (e.target as HTMLSelectElement).value;
          void app.media.setSpeaker(id).then(() => setChosen(id), () => setChosen(app.media.speaker));
        }}
      >
        <option value="">{app.t('phone.speaker.default')}</option>
        {speakers.map((s) => (
          <option value={s.id}>{s.label}</option>
        ))}
      </select>
    </label>
  );
}
