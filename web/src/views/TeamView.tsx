import { useEffect, useState } from 'preact/hooks';
import type { Call, Employee, RingDevice } from '../api/types';
import { formatClock } from '../lib/duration';
import { aloneInTeam } from '../lib/employees';
import { canJoin, isSupervisorRole } from '../lib/permissions';
import { ConnectPhone } from './ConnectPhone';
import { useApp } from './context';
import { EmployeeActions } from './EmployeeActions';
import { EmployeeForm } from './EmployeeForm';
import { useStore } from './hooks';
import { JoinPopup } from './JoinPopup';
import { SecretsDialog } from './SecretsDialog';
import { Ticking } from './Ticking';

/** «Команда»: employees with live status; a talking employee's time opens the join popup. */
export function TeamView() {
  const app = useApp();
  const team = useStore(app.team);
  const [joining, setJoining] = useState<{ call: Call; name: string } | null>(null);
  const [form, setForm] = useState<{ employee?: Employee } | null>(null);
  const [connecting, setConnecting] = useState<Employee | null>(null);
  useEffect(() => {
    if (!app.team.get()) void app.loadTeam();
  }, []);
  const me = app.me!;
  // Administrators choose each employee's ring device (servers with the browser softphone).
  const supervisor = isSupervisorRole(me.role);
  const devices = supervisor && !!team?.some((e) => e.ring_device !== undefined);
  if (!team) return <p class="muted">{app.t('common.loading')}</p>;
  const alone = supervisor && aloneInTeam(me, team);
  const addButton = supervisor && (
    <button class="primary" data-testid="employee-add" onClick={() => setForm({})}>
      {app.t('employees.add')}
    </button>
  );
  return (
    <section>
      <div class="page-head">
        <h1>{app.t('team.title')}</h1>
        {!alone && addButton}
      </div>
      {alone && (
        <div class="empty-state" data-testid="team-empty">
          <h2>{app.t('employees.emptyTitle')}</h2>
          <p>{app.t('employees.emptyText')}</p>
          {addButton}
        </div>
      )}
      {team.length === 0 ? (
        <p class="muted">{app.t('team.empty')}</p>
      ) : (
        <table class="list" data-testid="team">
          <thead>
            <tr>
              <th>{app.t('team.name')}</th>
              <th>{app.t('team.role')}</th>
              <th>{app.t('team.status')}</th>
              <th>{app.t('team.time')}</th>
              {devices && <th>{app.t('team.device')}</th>}
              {supervisor && <th>{app.t('employees.registration')}</th>}
              {supervisor && <th>{app.t('employees.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {team.map((e) => (
              <tr key={e.id} data-employee={e.login} class={e.active === false ? 'inactive' : undefined}>
                <td>
                  {e.name}
                  {e.active === false && <span class="muted small"> · {app.t('employees.inactive')}</span>}
                </td>
                <td>{app.t(`role.${e.role}`)}</td>
                <td>
                  <span class={`status status-${e.status}`}>{app.t(`status.${e.status}`)}</span>
                  {e.current_call?.monitored_by?.supervisor && (
                    <span class="muted small"> · {app.t('card.monitoredBy', { name: e.current_call.monitored_by.supervisor.name, mode: app.t(`mode.${e.current_call.monitored_by.mode}`) })}</span>
                  )}
                </td>
                <td>
                  <StatusTime employee={e} onJoin={canJoin(me, e) ? () => setJoining({ call: e.current_call!, name: e.name }) : undefined} />
                </td>
                {devices && (
                  <td>
                    {e.ring_device && (
                      <select
                        class="small"
                        data-testid={`device-${e.login}`}
                        aria-label={`${app.t('team.device')}: ${e.name}`}
                        value={e.ring_device}
                        onChange={(ev) => void app.setEmployeeDevice(e.id, (ev.target as HTMLSelectElement).value as RingDevice)}
                      >
                        <option value="browser">{app.t('phone.ring.browser')}</option>
                        <option value="sip_phone">{app.t('phone.ring.sip_phone')}</option>
                      </select>
                    )}
                  </td>
                )}
                {supervisor && (
                  <td class="small" data-testid={`registration-${e.login}`}>
                    {e.registration
                      ? app.t('employees.registeredSince', {
                          device: app.t(`phone.ring.${e.registration.device}`),
                          address: e.registration.address,
                          since: formatClock(e.registration.since, app.i18n.locale.get()),
                        })
                      : <span class="muted">{app.t('employees.notRegistered')}</span>}
                  </td>
                )}
                {supervisor && (
                  <td>
                    <EmployeeActions employee={e} onEdit={() => setForm({ employee: e })} onConnect={() => setConnecting(e)} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {form && <EmployeeForm employee={form.employee} onClose={() => setForm(null)} />}
      {connecting && <ConnectPhone employee={connecting} onClose={() => setConnecting(null)} />}
      <SecretsDialog />
      {joining && <JoinPopup call={joining.call} employeeName={joining.name} onClose={() => setJoining(null)} />}
    </section>
  );
}

/** Time in status; a button when the supervisor may join the employee's call. */
export function StatusTime({ employee, onJoin }: { employee: Employee; onJoin?: () => void }) {
  const time = <Ticking since={employee.status_since} />;
  if (!onJoin) return time;
  return (
    <button class="time-button" data-testid={`join-${employee.login}`} onClick={onJoin}>
      {time}
    </button>
  );
}
