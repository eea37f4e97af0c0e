import { useApp } from './context';
import { useStore } from './hooks';

export function Notices() {
  const app = useApp();
  const list = useStore(app.notices.list);
  return (
    <div class="notices" aria-live="polite">
      {list.map((n) => (
        <div key={n.id} class={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-kind={n.kind}>
          <span>{n.text}</span>
          <button class="icon" aria-label={app.t('common.close')} onClick={() => app.notices.dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
