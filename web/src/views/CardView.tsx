import { useEffect, useState } from 'preact/hooks';
import type { MonitorMode } from '../api/types';
import { formatClock, formatDuration } from '../lib/duration';
import { canSetResult, canUseSupervisorActions, joinModes } from '../lib/permissions';
import type { CardState } from '../state/reduce';
import { useApp } from './context';
import { useStore } from './hooks';
import { LevelBar, useLevel } from './Level';
import { Ticking } from './Ticking';

/** «Карточка звонка»: the call, my session on it, comments; after it, the actions of SPEC §6. */
export function CardView({ callId }: { callId: number }) {
  const app = useApp();
  const state = useStore(app.card);
  useEffect(() => {
    if (app.card.get()?.card.id !== callId) void app.loadCard(callId);
  }, [callId]);
  if (!state || state.card.id !== callId) return <p class="muted">{app.t('common.loading')}</p>;
  const { card } = state;
  const live = state.session !== null && state.phase !== 'ended';
  return (
    <section class="card" data-testid="call-card" data-call-state={card.state}>
      <h1>{app.t('card.title')}</h1>
      <dl class="facts">
        <dt>{app.t('card.client')}</dt>
        <dd data-testid="card-client">{card.client_number}</dd>
        <dt>{app.t('card.operator')}</dt>
        <dd>{card.operator?.name ?? '—'}</dd>
        <dt>{app.t('card.project')}</dt>
        <dd>{card.project?.name ?? '—'}</dd>
        <dt>{app.t('card.state')}</dt>
        <dd data-testid="card-state">{app.t(`card.state.${card.state}`)}</dd>
        <dt>{app.t('card.duration')}</dt>
        <dd data-testid="card-duration">
          {card.answered_at ? <Ticking since={card.answered_at} until={card.ended_at} /> : formatDuration(card.duration_ms)}
        </dd>
        {card.monitored_by?.supervisor && !live && (
          <>
            <dt>{app.t('card.mode')}</dt>
            <dd>{app.t('card.monitoredBy', { name: card.monitored_by.supervisor.name, mode: app.t(`mode.${card.monitored_by.mode}`) })}</dd>
          </>
        )}
      </dl>
      {state.session && <SessionPanel state={state} />}
      <Comments state={state} />
      <ResultPanel state={state} />
      {!live && <AfterActions state={state} />}
    </section>
  );
}

function SessionPanel({ state }: { state: CardState }) {
  const app = useApp();
  const me = app.me!;
  const session = state.session!;
  const ended = state.phase === 'ended';
  const ring = useStore(app.phone.ring);
  const phase = state.phase ?? 'ringing';
  const title = phase === 'ringing' && ring === 'browser' ? 'card.session.ringingBrowser' : (`card.session.${phase}` as const);
  return (
    <div class={`panel session ${ended ? 'ended' : 'live'}`} data-testid="session" data-phase={state.phase ?? ''} data-mode={session.mode}>
      <p>
        <strong>{app.t(title)}</strong>
      </p>
      {!ended && ring === 'browser' && <SessionAudio sessionId={session.session_id} />}
      {!ended && (
        <div class="actions">
          <span>{app.t('card.mode')}:</span>
          <div class="switch" role="radiogroup" aria-label={app.t('card.mode')}>
            {joinModes(me).map((mode: MonitorMode) => (
              <button role="radio" aria-checked={session.mode === mode} class={session.mode === mode ? 'on' : ''} data-mode={mode} onClick={() => session.mode !== mode && void app.switchMode(mode)}>
                {app.t(`mode.${mode}`)}
              </button>
            ))}
          </div>
          <button class="danger" data-testid="disconnect" onClick={() => void app.disconnect()}>
            {app.t('card.disconnect')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The session's audio in this page (its INVITE was answered by itself): what is heard, and mute. */
function SessionAudio({ sessionId }: { sessionId: number }) {
  const app = useApp();
  const phone = app.phone.softphone;
  const state = useStore(phone.state);
  const remote = useStore(phone.remote);
  const level = useLevel(remote);
  const call = state.call;
  if (!call || call.phase === 'ended' || call.monitorId === null) return null;
  return (
    <div class="session-audio" data-testid="session-audio" data-monitor={call.monitorId} data-session={sessionId} data-phase={call.phase}>
      <span class="muted small">{app.t('phone.monitorAudio')}</span>
      <LevelBar level={level} label={app.t('phone.speaker')} testId="session-level" />
      <button class="small" data-testid="session-mute" aria-pressed={state.muted} disabled={state.silent} onClick={() => phone.setMuted(!state.muted)}>
        {app.t(state.muted ? 'phone.unmute' : 'phone.mute')}
      </button>
      {state.silent && <span class="error small">{app.t('phone.silent')}</span>}
    </div>
  );
}

function Comments({ state }: { state: CardState }) {
  const app = useApp();
  const [text, setText] = useState('');
  const send = async (e: Event) => {
    e.preventDefault();
    if (await app.addComment(text)) setText('');
  };
  return (
    <div class="panel">
      <h3>{app.t('card.comments')}</h3>
      {state.comments.length === 0 ? (
        <p class="muted small">{app.t('card.noComments')}</p>
      ) : (
        <ul class="comments" data-testid="comments">
          {state.comments.map((c) => (
            <li key={c.id}>
              <span class="muted small">
                {c.author?.name ?? '—'} · {formatDuration(c.offset_ms)}
              </span>
              <div>{c.text}</div>
            </li>
          ))}
        </ul>
      )}
      <form class="comment-form" onSubmit={send}>
        <label>
          {app.t('card.comment')}
          <textarea data-testid="comment-input" value={text} maxLength={4000} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit" disabled={!text.trim()}>
          {app.t('card.commentSend')}
        </button>
      </form>
    </div>
  );
}

function ResultPanel({ state }: { state: CardState }) {
  const app = useApp();
  const me = app.me!;
  const { card } = state;
  const [choice, setChoice] = useState<number>(card.result?.id ?? card.results[0]?.id ?? 0);
  const [note, setNote] = useState(card.result?.note ?? '');
  const editable = canSetResult(me, card) && card.results.length > 0;
  if (card.state !== 'ended' && !card.result) return null;
  return (
    <div class="panel" data-testid="result">
      <h3>{app.t('card.result')}</h3>
      {card.result ? (
        <p>
          <strong>{card.result.label}</strong>
          {card.result.note && <> — {card.result.note}</>}
          <span class="muted small">
            {' '}
            {card.result.by?.name} {formatClock(card.result.at, app.i18n.locale.get())}
          </span>
        </p>
      ) : (
        <p class="muted">{editable ? app.t('operator.needsResult') : app.t('card.noResult')}</p>
      )}
      {editable && (
        <form
          class="result-form"
          onSubmit={(e) => {
            e.preventDefault();
            void app.setResult(choice, note);
          }}
        >
          <select data-testid="result-choice" value={choice} onChange={(e) => setChoice(Number((e.target as HTMLSelectElement).value))}>
            {card.results.map((r) => (
              <option value={r.id}>{r.label}</option>
            ))}
          </select>
          <input placeholder={app.t('card.resultNote')} value={note} maxLength={4000} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button type="submit" class="primary">
            {app.t('card.resultSave')}
          </button>
        </form>
      )}
    </div>
  );
}

function AfterActions({ state }: { state: CardState }) {
  const app = useApp();
  const me = app.me!;
  const { card } = state;
  const supervisor = canUseSupervisorActions(me);
  const following = useStore(app.following);
  return (
    <div class="panel" data-testid="after-actions">
      <h3>{app.t('card.actions')}</h3>
      <div class="actions wrap">
        {supervisor && card.operator && (
          <>
            {following.includes(card.operator.id) ? (
              <button data-testid="cancel-rejoin" onClick={() => void app.cancelRejoin(card.operator!.id)}>
                {app.t('card.cancelRejoin')}
              </button>
            ) : (
              <button data-testid="rejoin" onClick={() => void app.rejoin(state.session?.mode ?? 'listen')}>
                {app.t('card.rejoin')}
              </button>
            )}
            {card.operator.id !== me.id && (
              <button data-testid="call-employee" onClick={() => void app.callEmployee()}>
                {app.t('card.callEmployee')}
              </button>
            )}
          </>
        )}
        {supervisor && card.client_number && (
          <button data-testid="call-client" onClick={() => void app.callClient()}>
            {app.t('card.callClient')}
          </button>
        )}
        <button data-testid="save" aria-pressed={card.saved} onClick={() => void app.toggleSaved()}>
          {app.t(card.saved ? 'card.unsave' : 'card.save')}
        </button>
        {card.state === 'ended' && card.has_recording && (
          <button data-testid="download" onClick={() => void app.downloadRecording()}>
            {app.t('card.download')}
          </button>
        )}
      </div>
      {card.has_recording && card.recording_incomplete && (
        <p class="error small" role="status" data-testid="recording-incomplete">
          {app.t('card.recordingIncomplete', {
            seconds: ((card.recording_lost_ms ?? 0) / 1000).toFixed(1),
          })}
        </p>
      )}
    </div>
  );
}
