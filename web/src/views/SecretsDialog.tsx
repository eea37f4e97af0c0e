import { useState } from 'preact/hooks';
import { useApp } from './context';
import { useStore } from './hooks';
import { Modal } from './Modal';

/** The secrets the server generated, shown once, each with a copy button. */
export function SecretsDialog() {
  const app = useApp();
  const secrets = useStore(app.secrets);
  if (!secrets) return null;
  const close = () => app.secrets.set(null);
  return (
    <Modal title={app.t('secrets.title', { name: secrets.name })} onClose={close} testId="secrets">
      <p class="warning">{app.t('secrets.once')}</p>
      <dl class="secrets">
        <dt>{app.t('secrets.login')}</dt>
        <dd>
          <code>{secrets.login}</code>
        </dd>
        {secrets.password !== undefined && <Secret label={app.t('secrets.password')} value={secrets.password} testId="secret-password" />}
        {secrets.sipPassword !== undefined && <Secret label={app.t('secrets.sipPassword')} value={secrets.sipPassword} testId="secret-sip-password" />}
      </dl>
      <div class="actions">
        <button class="primary" data-testid="secrets-done" onClick={close}>
          {app.t('secrets.done')}
        </button>
      </div>
    </Modal>
  );
}

function Secret({ label, value, testId }: { label: string; value: string; testId: string }) {
  const app = useApp();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      /* no clipboard (plain http): the text is selectable */
    }
  };
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code data-testid={testId}>{value}</code>{' '}
        <button class="small" data-testid={`${testId}-copy`} onClick={() => void copy()}>
          {app.t(copied ? 'secrets.copied' : 'secrets.copy')}
        </button>
      </dd>
    </>
  );
}
