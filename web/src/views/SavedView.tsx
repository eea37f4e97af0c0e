import { useEffect, useState } from 'preact/hooks';
import type { Call } from '../api/types';
import { CallList } from './CallList';
import { useApp } from './context';
import { useStore } from './hooks';

/** «Сохранённые звонки»: the cards this user saved for review. */
export function SavedView() {
  const app = useApp();
  const epoch = useStore(app.epoch);
  const [calls, setCalls] = useState<Call[] | null>(null);
  useEffect(() => {
    void app.guard(async () => setCalls(await app.api.savedCalls()));
  }, [epoch]);
  return (
    <section>
      <h1>{app.t('saved.title')}</h1>
      {!calls ? (
        <p class="muted">{app.t('common.loading')}</p>
      ) : calls.length === 0 ? (
        <p class="muted">{app.t('saved.empty')}</p>
      ) : (
        <CallList calls={calls} when={(c) => c.saved_at ?? c.created_at} testId="saved-calls" />
      )}
    </section>
  );
}
