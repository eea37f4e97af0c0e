import type { Trunk, TrunkInput, TrunkTransport } from '../api/types';

/** What the trunk form holds: text as typed (sources one a line or comma separated). */
export interface TrunkForm {
  name: string;
  peer: string;
  transport: TrunkTransport;
  sources: string;
  caller_id: string;
  register_outbound: boolean;
  username: string;
  /** Empty on edit: the stored password stays. */
  password: string;
}

export const emptyTrunkForm: TrunkForm = {
  name: '',
  peer: '',
  transport: 'udp',
  sources: '',
  caller_id: '',
  register_outbound: false,
  username: '',
  password: '',
};

/** "192.0.2.1, 198.51.100.0/24\n2001:db8::1" → the addresses, trimmed, without blanks or repeats. */
export function parseSources(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const s = part.trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The form of an existing trunk (its password is never sent to the browser). */
export function formOfTrunk(trunk: Trunk): TrunkForm {
  return {
    name: trunk.name,
    peer: trunk.peer,
    transport: trunk.transport,
    sources: trunk.sources.join('\n'),
    caller_id: trunk.caller_id,
    register_outbound: trunk.register_outbound,
    username: trunk.username,
    password: '',
  };
}

/** The request body: everything for a new trunk; for an edit, the password only when typed. */
export function trunkInput(form: TrunkForm, editing: boolean): TrunkInput {
  const input: TrunkInput = {
    name: form.name.trim(),
    peer: form.peer.trim(),
    transport: form.transport,
    sources: parseSources(form.sources),
    caller_id: form.caller_id.trim(),
    register_outbound: form.register_outbound,
    username: form.username.trim(),
  };
  if (!editing || form.password !== '') input.password = form.password;
  return input;
}

/** A local check before sending, naming the form field (the server checks everything again). */
export function missingField(form: TrunkForm, editing: boolean, hasStoredPassword: boolean): keyof TrunkForm | null {
  if (!form.name.trim()) return 'name';
  if (!/^.+:\d{1,5}$/.test(form.peer.trim())) return 'peer';
  if (form.register_outbound && !form.username.trim()) return 'username';
  if (form.register_outbound && !form.password && !(editing && hasStoredPassword)) return 'password';
  return null;
}

/** The i18n key of a trunk's registration state ("" when it does not register). */
export function registrationKey(trunk: Trunk): 'trunks.reg.registered' | 'trunks.reg.failing' | 'trunks.reg.pending' | '' {
  if (!trunk.register_outbound || !trunk.registration) return '';
  return `trunks.reg.${trunk.registration.state}`;
}
