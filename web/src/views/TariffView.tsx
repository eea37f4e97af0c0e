import { useEffect, useState } from 'preact/hooks';
import type { Feature } from '../api/types';
import { formatClock } from '../lib/duration';
import { useApp } from './context';
import { useStore } from './hooks';

/** «Баланс» → «Тариф и возможности»: Connect (a request) and, once connected, gear → Disable. */
export function TariffView() {
  const app = useApp();
  const features = useStore(app.features);
  useEffect(() => {
    void app.loadFeatures();
  }, []);
  if (!features) return <p class="muted">{app.t('common.loading')}</p>;
  const connected = features.filter((f) => f.state === 'connected');
  const available = features.filter((f) => f.state !== 'connected');
  return (
    <section>
      <h1>{app.t('tariff.title')}</h1>
      <h2>{app.t('tariff.available')}</h2>
      <ul class="features" data-testid="features-available">
        {available.map((f) => (
          <AvailableFeature feature={f} key={f.key} />
        ))}
      </ul>
      <h2>{app.t('tariff.connected')}</h2>
      {connected.length === 0 && <p class="muted">{app.t('tariff.noneConnected')}</p>}
      <ul class="features" data-testid="features-connected">
        {connected.map((f) => (
          <ConnectedFeature feature={f} key={f.key} />
        ))}
      </ul>
    </section>
  );
}

function featureName(app: ReturnType<typeof useApp>, key: string): string {
  return key === 'whisper_listen' ? app.t('tariff.whisper_listen') : key;
}

function AvailableFeature({ feature }: { feature: Feature }) {
  const app = useApp();
  const locale = app.i18n.locale.get();
  const requested = feature.state === 'requested';
  return (
    <li data-feature={feature.key} data-state={feature.state}>
      <div>
        <strong>{featureName(app, feature.key)}</strong>
        {feature.key === 'whisper_listen' && <p class="muted small">{app.t('tariff.whisper_listen.about')}</p>}
        {requested && <p class="small">{app.t('tariff.requested', { at: formatClock(feature.requested_at, locale), email: app.me?.account.contact_email ?? '' })}</p>}
      </div>
      <button class="primary" disabled={requested} data-testid={`connect-${feature.key}`} onClick={() => void app.requestFeature(feature.key)}>
        {app.t('tariff.connect')}
      </button>
    </li>
  );
}

function ConnectedFeature({ feature }: { feature: Feature }) {
  const app = useApp();
  const [menu, setMenu] = useState(false);
  return (
    <li data-feature={feature.key} data-state={feature.state}>
      <div>
        <strong>{featureName(app, feature.key)}</strong>
        <p class="muted small">{app.t('tariff.connectedAt', { at: formatClock(feature.connected_at, app.i18n.locale.get()) })}</p>
      </div>
      <div class="menu-anchor">
        <button class="icon gear" aria-label={app.t('tariff.settings')} aria-expanded={menu} data-testid={`gear-${feature.key}`} onClick={() => setMenu(!menu)}>
          ⚙
        </button>
        {menu && (
          <div class="menu" role="menu">
            {feature.key === 'whisper_listen' && app.me && (
              <button
                role="menuitemcheckbox"
                aria-checked={app.me.account.barge_enabled}
                data-testid="toggle-barge"
                onClick={() => {
                  setMenu(false);
                  void app.setBarge(!app.me!.account.barge_enabled);
                }}
              >
                {app.t(app.me.account.barge_enabled ? 'tariff.bargeOff' : 'tariff.bargeOn')}
              </button>
            )}
            <button
              role="menuitem"
              data-testid={`disable-${feature.key}`}
              onClick={() => {
                setMenu(false);
                void app.disableFeature(feature.key);
              }}
            >
              {app.t('tariff.disable')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}
