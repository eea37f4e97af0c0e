import type { ComponentChildren } from 'preact';
import { useApp } from './context';

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ComponentChildren; testId?: string }) {
  const app = useApp();
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal" role="dialog" aria-label={title} data-testid={testId}>
        <header>
          <h2>{title}</h2>
          <button class="icon" aria-label={app.t('common.close')} onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
