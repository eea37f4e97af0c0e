import type { Call } from '../api/types';
import { joinModes } from '../lib/permissions';
import { useApp } from './context';
import { Modal } from './Modal';
import { Ticking } from './Ticking';

/** «Прослушать» / «Суфлировать» (and «Вмешаться» where allowed) for a talking employee's call. */
export function JoinPopup({ call, employeeName, onClose }: { call: Call; employeeName: string; onClose: () => void }) {
  const app = useApp();
  const me = app.me;
  if (!me) return null;
  const choose = async (mode: 'listen' | 'whisper' | 'barge') => {
    onClose();
    await app.join(call.id, mode);
  };
  return (
    <Modal title={app.t('join.title')} onClose={onClose} testId="join-popup">
      <p>
        <strong>{employeeName}</strong> · {call.client_number} · <Ticking since={call.answered_at} />
      </p>
      {call.monitored_by?.supervisor && <p class="muted">{app.t('join.monitoredBy', { name: call.monitored_by.supervisor.name })}</p>}
      <div class="actions">
        {joinModes(me).map((mode) => (
          <button class={mode === 'listen' ? 'primary' : ''} data-mode={mode} onClick={() => void choose(mode)}>
            {app.t(`join.${mode}`)}
          </button>
        ))}
        <button class="ghost" onClick={onClose}>
          {app.t('join.cancel')}
        </button>
      </div>
    </Modal>
  );
}
