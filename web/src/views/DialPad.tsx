import { useState } from 'preact/hooks';
import { DIAL_KEYS, DIAL_LETTERS, cleanNumber, dialTarget, pressKey } from '../softphone/dialpad';
import { useApp } from './context';
import { useStore } from './hooks';

/** Digits, * and #: before a call they make the number, during one they are sent as DTMF (RFC 4733). */
export function DialPad({ inCall = false }: { inCall?: boolean }) {
  const app = useApp();
  const phone = app.phone.softphone;
  const state = useStore(phone.state);
  const [number, setNumber] = useState('');
  const [sent, setSent] = useState('');
  const registered = state.registration.state === 'registered';
  const press = (key: string) => {
    if (inCall) {
      if (phone.sendDtmf(key)) setSent((s) => (s + key).slice(-24));
    } else setNumber((n) => pressKey(n, key));
  };
  const call = async (e: Event) => {
    e.preventDefault();
    if (await phone.dial(number)) setNumber('');
  };
  return (
    <form class="dialpad" data-testid={inCall ? 'dtmf-pad' : 'dialpad'} onSubmit={call}>
      {inCall ? (
        <output class="dial-number" data-testid="dtmf-sent">
          {sent || '\u00a0'}
        </output>
      ) : (
        <label class="dial-field">
          <span class="muted small">{app.t('phone.number')}</span>
          <input
            class="dial-number"
            data-testid="dial-number"
            inputMode="tel"
            autoComplete="off"
            value={number}
            onInput={(e) => {
              const input = e.target as HTMLInputElement;
              const clean = cleanNumber(input.value);
              if (clean !== null) setNumber(clean);
              else input.value = number;
            }}
          />
        </label>
      )}
      <div class="keys">
        {DIAL_KEYS.map((key) => (
          <button type="button" key={key} data-key={key} onClick={() => press(key)}>
            <span class="key">{key}</span>
            <span class="letters">{DIAL_LETTERS[key] ?? '\u00a0'}</span>
          </button>
        ))}
      </div>
      {!inCall && (
        <div class="actions">
          <button type="submit" class="primary call" data-testid="dial-call" disabled={!registered || phone.busy || !dialTarget(number, 'x')}>
            {app.t('phone.call')}
          </button>
          <button type="button" data-testid="dial-erase" disabled={!number} onClick={() => setNumber((n) => n.slice(0, -1))}>
            {app.t('phone.erase')}
          </button>
        </div>
      )}
      {!inCall && !registered && <p class="muted small">{app.t('phone.dialUnavailable')}</p>}
    </form>
  );
}
