import { useEffect, useState } from 'preact/hooks';
import { useApp } from './context';
import { DialPad } from './DialPad';
import { useStore } from './hooks';
import { LevelBar, useLevel } from './Level';
import { Ticking } from './Ticking';

/**
 * The browser phone's call, bottom left on every page: an incoming call to answer or decline, a call
 * ringing out, the call in progress (mute, keypad for DTMF, levels, hang up). Monitor calls are
 * answered by themselves; they are ended from the card («Отключиться»).
 */
export function PhoneDock() {
  const app = useApp();
  const phone = app.phone.softphone;
  const state = useStore(phone.state);
  const local = useStore(phone.local);
  const remote = useStore(phone.remote);
  const inLevel = useLevel(local);
  const outLevel = useLevel(remote);
  const [keypad, setKeypad] = useState(false);
  const call = state.call;
  const ringing = call?.phase === 'ringing-in' && !call.autoAnswer;
  // The tab's title says a call is ringing (the tab may be in the background).
  useEffect(() => {
    if (!ringing) return;
    const title = document.title;
    let on = false;
    const timer = setInterval(() => (document.title = (on = !on) ? `☎ ${app.t('phone.incoming')}` : title), 1000);
    return () => {
      clearInterval(timer);
      document.title = title;
    };
  }, [ringing]);
  if (!call || call.phase === 'ended') return null;
  const number = call.remote || app.t('phone.unknownNumber');
  const who = call.remoteName && call.remoteName !== call.remote ? `${call.remoteName} · ${number}` : number;
  const monitor = call.monitorId !== null;
  return (
    <aside class={`phone-dock phase-${call.phase}`} data-testid="phone-dock" data-phase={call.phase} data-monitor={monitor ? call.monitorId! : ''} aria-live="polite">
      {call.phase === 'ringing-in' && !call.autoAnswer && (
        <>
          <p>
            <strong>{app.t('phone.incoming')}</strong>
          </p>
          <p data-testid="phone-remote">{who}</p>
          <div class="actions">
            <button class="primary" data-testid="phone-answer" onClick={() => void phone.answer()}>
              {app.t('phone.answer')}
            </button>
            <button class="danger" data-testid="phone-decline" onClick={() => phone.decline()}>
              {app.t('phone.decline')}
            </button>
          </div>
        </>
      )}
      {call.phase === 'ringing-out' && (
        <>
          <p data-testid="phone-remote">
            <strong>{app.t('phone.ringingOut', { number: who })}</strong>
          </p>
          <div class="actions">
            <button class="danger" data-testid="phone-hangup" onClick={() => phone.hangUp()}>
              {app.t('phone.cancel')}
            </button>
          </div>
        </>
      )}
      {(call.phase === 'talking' || (call.autoAnswer && call.phase === 'ringing-in')) && (
        <>
          <p data-testid="phone-remote">
            <strong>{monitor ? app.t('phone.monitorAudio') : app.t('phone.talking', { number: who })}</strong>
            {call.answeredAt !== null && (
              <span class="muted">
                {' '}
                · <Ticking since={new Date(call.answeredAt).toISOString()} />
              </span>
            )}
          </p>
          {state.silent && <p class="error small">{app.t('phone.silent')}</p>}
          <div class="levels">
            <span class="muted small">{app.t('phone.mic')}</span>
            <LevelBar level={state.muted ? 0 : inLevel} label={app.t('phone.level')} testId="phone-level-in" />
            <span class="muted small">{app.t('phone.speaker')}</span>
            <LevelBar level={outLevel} label={app.t('phone.speaker')} testId="phone-level-out" />
          </div>
          <div class="actions wrap">
            <button data-testid="phone-mute" aria-pressed={state.muted} class={state.muted ? 'on' : ''} disabled={state.silent} onClick={() => phone.setMuted(!state.muted)}>
              {app.t(state.muted ? 'phone.unmute' : 'phone.mute')}
            </button>
            {!monitor && (
              <>
                <button data-testid="phone-keypad" aria-pressed={keypad} onClick={() => setKeypad(!keypad)}>
                  {app.t('phone.keypad')}
                </button>
                <button class="danger" data-testid="phone-hangup" onClick={() => phone.hangUp()}>
                  {app.t('phone.hangUp')}
                </button>
              </>
            )}
          </div>
          {keypad && !monitor && <DialPad inCall />}
        </>
      )}
    </aside>
  );
}
