import type { Call } from '../api/types';
import { formatClock } from '../lib/duration';
import { useApp } from './context';
import { Ticking } from './Ticking';

/** A list of calls; a row opens the call card. */
export function CallList({ calls, when, testId }: { calls: Call[]; when: (c: Call) => string | null | undefined; testId: string }) {
  const app = useApp();
  const locale = app.i18n.locale.get();
  return (
    <table class="list" data-testid={testId}>
      <thead>
        <tr>
          <th>{app.t('calls.when')}</th>
          <th>{app.t('card.client')}</th>
          <th>{app.t('card.operator')}</th>
          <th>{app.t('card.project')}</th>
          <th>{app.t('card.duration')}</th>
          <th>{app.t('card.state')}</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((c) => (
          <tr key={c.id} class="clickable" data-call={c.id} onClick={() => app.go({ name: 'card', callId: c.id })}>
            <td>{formatClock(when(c), locale)}</td>
            <td>
              <a href={`/calls/${c.id}`} onClick={(e) => e.preventDefault()}>
                {c.client_number}
              </a>
            </td>
            <td>{c.operator?.name ?? '—'}</td>
            <td>{c.project?.name ?? '—'}</td>
            <td>{c.answered_at ? <Ticking since={c.answered_at} until={c.ended_at} /> : '—'}</td>
            <td>{app.t(`card.state.${c.state}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
