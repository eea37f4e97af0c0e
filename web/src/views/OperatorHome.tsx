import { useEffect } from 'preact/hooks';
import { CallList } from './CallList';
import { DialPad } from './DialPad';
import { useApp } from './context';
import { useStore } from './hooks';
import { Ticking } from './Ticking';

/** An operator's page: their own status and current call, and the recent calls to process. */
export function OperatorHome() {
  const app = useApp();
  const session = useStore(app.session);
  const calls = useStore(app.myCalls);
  const ring = useStore(app.phone.ring);
  useEffect(() => {
    if (!app.myCalls.get()) void app.loadMyCalls();
  }, []);
  const me = session!.me;
  const current = calls?.find((c) => c.state !== 'ended') ?? null;
  return (
    <section data-testid="operator-home">
      <h1>{app.t('operator.title')}</h1>
      <div class="panel">
        <p>
          {app.t('operator.status')}: <span class={`status status-${me.status}`}>{app.t(`status.${me.status}`)}</span> · <Ticking since={me.status_since} />
        </p>
        <p>
          {app.t('operator.currentCall')}:{' '}
          {current ? (
            <a href={`/calls/${current.id}`} onClick={(e) => (e.preventDefault(), app.go({ name: 'card', callId: current.id }))}>
              {current.client_number} · {app.t(`card.state.${current.state}`)} · <Ticking since={current.answered_at ?? current.created_at} />
            </a>
          ) : (
            <span class="muted">{app.t('operator.noCall')}</span>
          )}
        </p>
      </div>
      {ring === 'browser' && (
        <div class="panel dial-panel">
          <h3>{app.t('phone.dialpad')}</h3>
          <DialPad />
        </div>
      )}
      <h2>{app.t('operator.recent')}</h2>
      {calls ? <CallList calls={calls} when={(c) => c.created_at} testId="my-calls" /> : <p class="muted">{app.t('common.loading')}</p>}
    </section>
  );
}
