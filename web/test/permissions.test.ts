import { describe, expect, it } from 'vitest';
import type { Call, Employee, Me, Role } from '../src/api/types';
import { canJoin, canManageFeatures, canSetResult, isSupervisorRole, joinModes } from '../src/lib/permissions';

const me = (role: Role, barge = true, id = 1): Me => ({
  id,
  name: 'Me',
  login: 'me',
  role,
  sip_user: 'me',
  status: 'available',
  status_since: null,
  account: { id: 1, name: 'Acme', contact_email: 'a@b', sip_domain: 'd', barge_enabled: barge },
  may_monitor: true,
});
const call = (state: Call['state'], operatorId = 2): Call => ({
  id: 9,
  client_number: '79990000000',
  direction: 'inbound',
  state,
  operator: { id: operatorId, name: 'Olga' },
  project: null,
  created_at: null,
  answered_at: null,
  ended_at: null,
  end_reason: null,
  monitored_by: null,
  has_recording: false,
});
const employee = (status: Employee['status'], current: Call | null, id = 2): Employee => ({
  id,
  name: 'Olga',
  login: 'olga',
  role: 'operator',
  status,
  status_since: null,
  current_call: current,
});

describe('permissions', () => {
  it.each([
    ['creator', true],
    ['administrator', true],
    ['operator', false],
  ] as [Role, boolean][])('%s supervises: %s', (role, yes) => {
    expect(isSupervisorRole(role)).toBe(yes);
    expect(canManageFeatures(me(role))).toBe(yes);
  });

  it('offers barge only where the account allows it, and nothing to operators', () => {
    expect(joinModes(me('creator'))).toEqual(['listen', 'whisper', 'barge']);
    expect(joinModes(me('administrator', false))).toEqual(['listen', 'whisper']);
    expect(joinModes(me('operator'))).toEqual([]);
  });

  it.each([
    ['administrator', employee('talking', call('talking')), true],
    ['creator', employee('talking', call('talking')), true],
    ['operator', employee('talking', call('talking')), false],
    ['administrator', employee('available', null), false],
    ['administrator', employee('ringing', call('ringing')), false],
    ['administrator', employee('talking', null), false],
    ['administrator', employee('talking', call('ended')), false],
    ['administrator', employee('talking', call('talking', 1), 1), false], // myself
  ] as [Role, Employee, boolean][])('%s may join %o: %s', (role, e, yes) => {
    expect(canJoin(me(role), e)).toBe(yes);
  });

  it('lets only the call\'s own operator record the result, after the call', () => {
    expect(canSetResult(me('operator', true, 2), call('ended', 2))).toBe(true);
    expect(canSetResult(me('operator', true, 2), call('talking', 2))).toBe(false);
    expect(canSetResult(me('operator', true, 3), call('ended', 2))).toBe(false);
    expect(canSetResult(me('administrator', true, 2), call('ended', 2))).toBe(false);
  });
});
