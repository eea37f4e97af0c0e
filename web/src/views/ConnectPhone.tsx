import { useEffect, useState } from 'preact/hooks';
import type { Connection, Employee } from '../api/types';
import { serverAddress, transportsText } from '../lib/employees';
import { useApp } from './context';
import { Modal } from './Modal';

/** «Подключить телефон»: what to type into a SIP phone or softphone for the employee. */
export function ConnectPhone({ employee, onClose }: { employee: Employee; onClose: () => void }) {
  const app = useApp();
  const [connection, setConnection] = useState<Connection | null>(null);
  useEffect(() => {
    void app.connection(employee.id).then((c) => (c ? setConnection(c) : onClose()));
  }, [employee.id]);
  return (
    <Modal title={app.t('connect.title', { name: employee.name })} onClose={onClose} testId="connect-phone">
      {!connection ? (
        <p class="muted">{app.t('common.loading')}</p>
      ) : (
        <>
          <p>{app.t('connect.intro')}</p>
          <dl class="secrets">
            <dt>{app.t('connect.server')}</dt>
            <dd>
              <code data-testid="connect-server">{serverAddress(connection)}</code>
            </dd>
            <dt>{app.t('connect.transport')}</dt>
            <dd data-testid="connect-transport">{transportsText(connection)}</dd>
            <dt>{app.t('connect.user')}</dt>
            <dd>
              <code data-testid="connect-user">{connection.user}</code>
            </dd>
            <dt>{app.t('connect.domain')}</dt>
            <dd>
              <code data-testid="connect-domain">{connection.domain}</code>
            </dd>
            <dt>{app.t('connect.password')}</dt>
            <dd class="muted small">{app.t('connect.passwordHint')}</dd>
          </dl>
          {connection.loopback_only && (
            <p class="warning" data-testid="connect-loopback">
              {app.t('connect.loopback')}
            </p>
          )}
          {connection.ws_url && <p class="muted small">{app.t('connect.browser')}</p>}
        </>
      )}
    </Modal>
  );
}
