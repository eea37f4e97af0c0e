import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import type { Trunk } from '../src/api/types';
import { translate } from '../src/i18n';
import { emptyTrunkForm, formOfTrunk, missingField, parseSources, registrationKey, trunkInput } from '../src/lib/trunks';
import { parseRoute, routePath } from '../src/state/router';

const trunk: Trunk = {
  id: 7,
  name: 'Provider',
  peer: 'sip.example:5060',
  transport: 'udp',
  sources: ['192.0.2.1', '198.51.100.0/24'],
  caller_id: '+74950000000',
  register_outbound: true,
  username: 'acme',
  has_password: true,
  source: 'database',
  read_only: false,
  numbers: [{ number: '74950000001', project_id: 1, project: { id: 1, name: 'Sales' } }],
  registration: { state: 'failing', reason: '403 Forbidden' },
};

describe('trunk form', () => {
  it('splits sources on commas, spaces and newlines, dropping blanks and repeats', () => {
    expect(parseSources(' 192.0.2.1, 198.51.100.0/24\n\n2001:db8::1 ;192.0.2.1 ')).toEqual(['192.0.2.1', '198.51.100.0/24', '2001:db8::1']);
    expect(parseSources('')).toEqual([]);
  });

  it('sends everything for a new trunk, and the password on edit only when typed', () => {
    const form = { ...emptyTrunkForm, name: ' P ', peer: 'h:5060', sources: 'a,b', password: 'secret' };
    expect(trunkInput(form, false)).toEqual({
      name: 'P',
      peer: 'h:5060',
      transport: 'udp',
      sources: ['a', 'b'],
      caller_id: '',
      register_outbound: false,
      username: '',
      password: 'secret',
    });
    const edit = formOfTrunk(trunk);
    expect(edit.password).toBe('');
    expect(edit.sources).toBe('192.0.2.1\n198.51.100.0/24');
    expect('password' in trunkInput(edit, true)).toBe(false);
    expect(trunkInput({ ...edit, password: 'new' }, true).password).toBe('new');
  });

  it('names the first field to fix before sending', () => {
    expect(missingField(emptyTrunkForm, false, false)).toBe('name');
    expect(missingField({ ...emptyTrunkForm, name: 'P', peer: 'no-port' }, false, false)).toBe('peer');
    const registering = { ...emptyTrunkForm, name: 'P', peer: 'h:5060', register_outbound: true };
    expect(missingField(registering, false, false)).toBe('username');
    expect(missingField({ ...registering, username: 'u' }, false, false)).toBe('password');
    // Editing a trunk whose password is stored: an empty field keeps it.
    expect(missingField({ ...registering, username: 'u' }, true, true)).toBeNull();
  });

  it('shows the registration state only for registering trunks', () => {
    expect(registrationKey(trunk)).toBe('trunks.reg.failing');
    expect(registrationKey({ ...trunk, register_outbound: false })).toBe('');
    expect(registrationKey({ ...trunk, registration: null })).toBe('');
  });
});

describe('trunks page', () => {
  it('has a route and a menu entry in both languages', () => {
    expect(parseRoute('/trunks')).toEqual({ name: 'trunks' });
    expect(routePath({ name: 'trunks' })).toBe('/trunks');
    expect(translate('ru', 'menu.trunks')).toBe('Транки и номера');
    expect(translate('en', 'menu.trunks')).toBe('Trunks and numbers');
  });

  it('calls the trunk routes, escaping a configuration trunk id and the number', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response(null, { status: 204 }));
    const api = new ApiClient({ token: () => 'tok', fetch });
    await api.deleteTrunk('config:main');
    await api.removeNumber(7, '+7 495');
    await api.updateTrunk(7, { name: 'New' });
    expect(fetch.mock.calls.map(([url, init]) => `${init?.method} ${url}`)).toEqual([
      'DELETE /api/v1/trunks/config%3Amain',
      'DELETE /api/v1/trunks/7/numbers/%2B7%20495',
      'PATCH /api/v1/trunks/7',
    ]);
    expect(JSON.parse(String(fetch.mock.calls[2][1]?.body))).toEqual({ name: 'New' });
  });
});
