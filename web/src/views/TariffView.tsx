import { useEffect, useState } from 'preact/hooks';
import type { Feature } from '../api/types';
import { formatClock } from '../lib/duration';
import { useApp } from './context';
import { useStore } from './hooks';
import { Modal } from './Modal';

/** A plausible email address (the server checks it too): one @, no spaces, a dot after the @. */
export function plausibleEmail(value: string): boolean {
  const v = value.trim();
  const at = v.indexOf('@');
  return at > 0 && at === v.lastIndexOf('@') && !/\s/.test(v) && v.indexOf('.', at) > at + 1 && !v.endsWith('.');
}

/** «Баланс» → «Тариф и возможности»: Connect (a request) and, once connected, gear → Disable. */
export function TariffView() {
  const app = useApp();
  const features = useStore(app.features);
  const mailConfigured = useStore(app.mailConfigured);
  useEffect(() => {
    void app.loadFeatures();
  }, []);
  if (!features) return <p class="muted">{app.t('common.loading')}</p>;
  const connected = features.filter((f) => f.state === 'connected');
  const available = features.filter((f) => f.state !== 'connected');
  return (
    <section>
      <h1>{app.t('tariff.title')}</h1>
      {!mailConfigured && (
        <p class="banner warning" data-testid="mail-not-configured">
          {app.t('tariff.noMail')}
        </p>
      )}
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
  const mailConfigured = useStore(app.mailConfigured);
  const [asking, setAsking] = useState(false);
  const requested = feature.state === 'requested';
  const at = formatClock(feature.requested_at, locale);
  return (
    <li data-feature={feature.key} data-state={feature.state}>
      <div>
        <strong>{featureName(app, feature.key)}</strong>
        {feature.key === 'whisper_listen' && <p class="muted small">{app.t('tariff.whisper_listen.about')}</p>}
        {requested && (
          <p class="small" data-testid={`requested-${feature.key}`}>
            {mailConfigured
              ? app.t('tariff.requested', { at, email: feature.contact_email ?? app.me?.account.contact_email ?? '' })
              : app.t('tariff.requestedNoMail', { at })}
          </p>
        )}
      </div>
      <button class="primary" disabled={requested} data-testid={`connect-${feature.key}`} onClick={() => setAsking(true)}>
        {app.t(requested ? 'tariff.requestSent' : 'tariff.connect')}
      </button>
      {asking && <RequestForm feature={feature} onClose={() => setAsking(false)} />}
    </li>
  );
}

/** «Подключить»: the request form with the contact email, pre-filled from the account. */
export function RequestForm({ feature, onClose }: { feature: Feature; onClose: () => void }) {
  const app = useApp();
  const mailConfigured = useStore(app.mailConfigured);
  const [email, setEmail] = useState(feature.contact_email ?? app.me?.account.contact_email ?? '');
  const [invalid, setInvalid] = useState(false);
  const [sending, setSending] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!plausibleEmail(email)) {
      setInvalid(true);
      return;
    }
    setSending(true);
    const sent = await app.requestFeature(feature.key, email.trim());
    setSending(false);
    if (sent) onClose();
  };
  return (
    <Modal title={app.t('tariff.form.title', { feature: featureName(app, feature.key) })} onClose={onClose} testId="feature-request-form">
      <form class="request-form" onSubmit={(e) => void submit(e)}>
        <label>
          {app.t('tariff.form.email')}
          <input
            name="contact_email"
            type="email"
            autocomplete="email"
            value={email}
            maxLength={254}
            aria-invalid={invalid}
            onInput={(e) => {
              setEmail((e.target as HTMLInputElement).value);
              setInvalid(false);
            }}
            required
          />
        </label>
        {invalid ? (
          <p class="error small" role="alert" data-testid="contact-email-invalid">
            {app.t('tariff.form.badEmail')}
          </p>
        ) : (
          <p class="muted small">{app.t('tariff.form.hint')}</p>
        )}
        {!mailConfigured && (
          <p class="banner warning small" data-testid="form-mail-not-configured">
            {app.t('tariff.noMail')}
          </p>
        )}
        <button class="primary" type="submit" disabled={sending} data-testid="feature-request-submit">
          {app.t('tariff.form.submit')}
        </button>
      </form>
    </Modal>
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
