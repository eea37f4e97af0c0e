import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../api/errors';
import type { Project, Trunk } from '../api/types';
import { emptyTrunkForm, formOfTrunk, missingField, registrationKey, trunkInput, type TrunkForm } from '../lib/trunks';
import { useApp } from './context';
import { useStore } from './hooks';
import { Modal } from './Modal';

/** «Транки и номера»: the account's SIP trunks and the numbers (DIDs) that reach its projects. */
export function TrunksView() {
  const app = useApp();
  const epoch = useStore(app.epoch);
  const changed = useStore(app.trunksChanged);
  const [trunks, setTrunks] = useState<Trunk[] | null>(null);
  const [projects, setProjects] = useState<Project[]>([]);
  const [editing, setEditing] = useState<Trunk | 'new' | null>(null);
  const reload = () =>
    app.guard(async () => {
      const [t, p] = await Promise.all([app.api.trunks(), app.api.projects()]);
      setTrunks(t);
      setProjects(p);
    });
  useEffect(() => {
    void reload();
  }, [epoch, changed]);
  if (!trunks) return <p class="muted">{app.t('common.loading')}</p>;
  const remove = (t: Trunk) => {
    if (!confirm(app.t('trunks.confirmDelete', { name: t.name }))) return;
    void app.guard(async () => {
      await app.api.deleteTrunk(t.id);
      await reload();
    });
  };
  return (
    <section data-testid="trunks">
      <h1>{app.t('trunks.title')}</h1>
      <button class="primary" data-testid="trunk-add" onClick={() => setEditing('new')}>
        {app.t('trunks.add')}
      </button>
      {trunks.length === 0 && (
        <div class="muted" data-testid="trunks-empty">
          <p>{app.t('trunks.empty.what')}</p>
          <p>{app.t('trunks.empty.fill')}</p>
        </div>
      )}
      <ul class="cards">
        {trunks.map((t) => (
          <TrunkItem key={String(t.id)} trunk={t} projects={projects} onEdit={() => setEditing(t)} onDelete={() => remove(t)} onChanged={() => void reload()} />
        ))}
      </ul>
      {editing && (
        <TrunkFormModal
          trunk={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
    </section>
  );
}

function TrunkItem({ trunk, projects, onEdit, onDelete, onChanged }: { trunk: Trunk; projects: Project[]; onEdit: () => void; onDelete: () => void; onChanged: () => void }) {
  const app = useApp();
  const [adding, setAdding] = useState(false);
  const reg = registrationKey(trunk);
  const removeNumber = (number: string) =>
    void app.guard(async () => {
      await app.api.removeNumber(trunk.id, number);
      onChanged();
    });
  return (
    <li data-testid={`trunk-${trunk.name}`} data-source={trunk.source}>
      <div>
        <strong>{trunk.name}</strong> <span class="muted small">{`${trunk.peer} · ${trunk.transport.toUpperCase()}`}</span>
        {trunk.read_only && <span class="badge small" title={app.t('trunks.readOnlyHint')}>{` ${app.t('trunks.readOnly')}`}</span>}
        {trunk.sources.length > 0 && <p class="small">{`${app.t('trunks.sources')}: ${trunk.sources.join(', ')}`}</p>}
        {reg && (
          <p class={`small ${trunk.registration?.state === 'failing' ? 'error' : ''}`} data-testid={`trunk-registration-${trunk.name}`}>
            {app.t(reg)}
            {trunk.registration?.reason ? ` (${trunk.registration.reason})` : ''}
          </p>
        )}
        <p class="small">{app.t('trunks.numbers')}:</p>
        {trunk.numbers.length === 0 ? (
          <p class="muted small">{app.t('trunks.noNumbers')}</p>
        ) : (
          <ul class="small">
            {trunk.numbers.map((n) => (
              <li key={n.number} data-testid={`number-${n.number}`}>
                {`+${n.number} → ${n.project?.name ?? '—'}`}
                {!trunk.read_only && (
                  <button class="ghost small" data-testid={`number-remove-${n.number}`} onClick={() => removeNumber(n.number)}>
                    {app.t('trunks.removeNumber')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!trunk.read_only && !adding && (
          <button class="ghost small" data-testid="number-add" onClick={() => setAdding(true)}>
            {app.t('trunks.addNumber')}
          </button>
        )}
        {adding && (
          <NumberForm
            trunk={trunk}
            projects={projects}
            onDone={() => {
              setAdding(false);
              onChanged();
            }}
            onCancel={() => setAdding(false)}
          />
        )}
      </div>
      {!trunk.read_only && (
        <div>
          <button class="ghost small" data-testid={`trunk-edit-${trunk.name}`} onClick={onEdit}>
            {app.t('trunks.edit')}
          </button>
          <button class="danger small" data-testid={`trunk-delete-${trunk.name}`} onClick={onDelete}>
            {app.t('trunks.delete')}
          </button>
        </div>
      )}
    </li>
  );
}

function NumberForm({ trunk, projects, onDone, onCancel }: { trunk: Trunk; projects: Project[]; onDone: () => void; onCancel: () => void }) {
  const app = useApp();
  const [number, setNumber] = useState('');
  const [project, setProject] = useState<number | null>(projects[0]?.id ?? null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (project === null) return;
    void app.guard(async () => {
      await app.api.addNumber(trunk.id, number, project);
      onDone();
    });
  };
  return (
    <form class="inline" data-testid="number-form" onSubmit={submit}>
      <input name="number" placeholder="+74950000001" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} required />
      <select name="project" value={project ?? ''} onChange={(e) => setProject(Number((e.target as HTMLSelectElement).value))}>
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <button class="primary small" type="submit" data-testid="number-submit" disabled={project === null}>
        {app.t('trunks.addNumber')}
      </button>
      <button class="ghost small" type="button" onClick={onCancel}>
        {app.t('trunks.cancel')}
      </button>
      {projects.length === 0 && <p class="muted small">{app.t('trunks.noProjects')}</p>}
    </form>
  );
}

function TrunkFormModal({ trunk, onClose, onSaved }: { trunk: Trunk | null; onClose: () => void; onSaved: () => void }) {
  const app = useApp();
  const editing = trunk !== null;
  const [form, setForm] = useState<TrunkForm>(trunk ? formOfTrunk(trunk) : emptyTrunkForm);
  const [badField, setBadField] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const set = <K extends keyof TrunkForm>(key: K, value: TrunkForm[K]) => setForm({ ...form, [key]: value });
  const text = (key: 'name' | 'peer' | 'caller_id' | 'username', placeholder = '') => (
    <label class={badField === key ? 'invalid' : ''}>
      {app.t(`trunks.field.${key}`)}
      <input name={key} type="text" placeholder={placeholder} value={form[key]} autocomplete="off" onInput={(e) => set(key, (e.target as HTMLInputElement).value)} />
    </label>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingField(form, editing, trunk?.has_password ?? false);
    if (missing) {
      setBadField(missing);
      setMessage(app.t('trunks.fix', { field: app.t(`trunks.field.${missing}`) }));
      return;
    }
    try {
      const input = trunkInput(form, editing);
      if (trunk) await app.api.updateTrunk(trunk.id, input);
      else await app.api.createTrunk(input);
      onSaved();
    } catch (err) {
      if (isApiError(err)) {
        setBadField(err.field);
        setMessage(err.message);
      } else {
        setMessage(String(err));
      }
    }
  };
  return (
    <Modal title={editing ? app.t('trunks.editTitle') : app.t('trunks.add')} onClose={onClose} testId="trunk-modal">
      <form class="trunk-form" data-testid="trunk-form" onSubmit={(e) => void submit(e)}>
        {text('name')}
        {text('peer', 'sip.provider.example:5060')}
        <label>
          {app.t('trunks.field.transport')}
          <select name="transport" value={form.transport} onChange={(e) => set('transport', (e.target as HTMLSelectElement).value as TrunkForm['transport'])}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </label>
        <label class={badField === 'sources' ? 'invalid' : ''}>
          {app.t('trunks.field.sources')}
          <textarea name="sources" rows={3} placeholder="192.0.2.10, 198.51.100.0/24" value={form.sources} onInput={(e) => set('sources', (e.target as HTMLTextAreaElement).value)} />
        </label>
        {text('caller_id', '+74950000000')}
        <label class="check">
          <input name="register_outbound" type="checkbox" checked={form.register_outbound} onChange={(e) => set('register_outbound', (e.target as HTMLInputElement).checked)} />
          {app.t('trunks.field.register_outbound')}
        </label>
        {text('username')}
        <label class={badField === 'password' ? 'invalid' : ''}>
          {app.t('trunks.field.password')}
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            placeholder={editing && trunk?.has_password ? app.t('trunks.passwordKept') : ''}
            value={form.password}
            onInput={(e) => set('password', (e.target as HTMLInputElement).value)}
          />
        </label>
        {message && (
          <p class="error" data-testid="trunk-error">
            {message}
          </p>
        )}
        <button class="primary" type="submit" data-testid="trunk-submit">
          {app.t('trunks.save')}
        </button>
      </form>
    </Modal>
  );
}
