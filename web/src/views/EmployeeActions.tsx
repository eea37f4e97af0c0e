import type { Employee } from '../api/types';
import { canDeactivate, canManageEmployee } from '../lib/employees';
import { useApp } from './context';

/** A Team row's management buttons: edit, deactivate/activate, new passwords, connect a phone. */
export function EmployeeActions({ employee, onEdit, onConnect }: { employee: Employee; onEdit: () => void; onConnect: () => void }) {
  const app = useApp();
  const me = app.me!;
  if (!canManageEmployee(me, employee)) return null;
  const id = employee.login;
  const inactive = employee.active === false;
  return (
    <div class="row-actions">
      <button class="small" data-testid={`employee-edit-${id}`} onClick={onEdit}>
        {app.t('employees.edit')}
      </button>
      {inactive ? (
        <button class="small" data-testid={`employee-activate-${id}`} onClick={() => void app.setEmployeeActive(employee.id, true)}>
          {app.t('employees.activate')}
        </button>
      ) : (
        canDeactivate(me, employee) && (
          <button class="small" data-testid={`employee-deactivate-${id}`} onClick={() => void app.setEmployeeActive(employee.id, false)}>
            {app.t('employees.deactivate')}
          </button>
        )
      )}
      <button class="small" data-testid={`employee-password-${id}`} onClick={() => void app.resetPassword(employee, 'password')}>
        {app.t('employees.resetPassword')}
      </button>
      <button class="small" data-testid={`employee-sip-password-${id}`} onClick={() => void app.resetPassword(employee, 'sip')}>
        {app.t('employees.resetSipPassword')}
      </button>
      <button class="small" data-testid={`employee-connect-${id}`} onClick={onConnect}>
        {app.t('employees.connect')}
      </button>
    </div>
  );
}
