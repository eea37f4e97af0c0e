// A stand-in App for rendering views in Node (test/fake-dom.ts): real stores and real texts, the
// actions recorded. Each action answers as the server would for the case under test.
import { h, render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import type { Employee, Feature, Me } from '../src/api/types';
import { I18n } from '../src/i18n';
import { Store, memoryStorage } from '../src/lib/store';
import type { App, Session } from '../src/state/app';
import type { Route } from '../src/state/router';
import { AppContext } from '../src/views/context';
import { installFakeDom, type FakeElement } from './fake-dom';

export const me = (over: Partial<Me> = {}): Me => ({
  id: 1,
  name: 'Owner',
  login: 'admin',
  role: 'creator',
  sip_user: 'admin',
  status: 'offline',
  status_since: null,
  account: { id: 1, name: 'My call center', contact_email: 'owner@example.com', sip_domain: 'suflyor.local', barge_enabled: true },
  may_monitor: false,
  ...over,
});

export const feature = (state: Feature['state'], over: Partial<Feature> = {}): Feature => ({
  key: 'whisper_listen',
  state,
  requested_at: state === 'requested' ? '2026-12-02T10:00:00.000Z' : null,
  connected_at: state === 'connected' ? '2026-12-02T10:05:00.000Z' : null,
  disabled_at: null,
  contact_email: null,
  ...over,
});

export const employee = (id: number, role: Employee['role'], status: Employee['status'] = 'offline'): Employee => ({
  id,
  name: `E${id}`,
  login: `e${id}`,
  role,
  status,
  status_since: null,
  current_call: null,
});

export interface FakeServer {
  projects: unknown[];
  /** The reply of GET /api/v1/trunks: a list, or the HTTP status of a refusal. */
  trunks: unknown[] | number;
}

export function fakeApp(opts: { me?: Me; features?: Feature[] | null; mailConfigured?: boolean; team?: Employee[] | null; server?: Partial<FakeServer>; accept?: boolean } = {}) {
  const storage = memoryStorage();
  const i18n = new I18n(storage);
  const server: FakeServer = { projects: [], trunks: 404, ...opts.server };
  const calls: string[] = [];
  const routes: Route[] = [];
  const session = new Store<Session | null>({ token: 't', me: opts.me ?? me() });
  const app = {
    storage,
    i18n,
    t: i18n.t,
    session,
    get me() {
      return session.get()?.me ?? null;
    },
    team: new Store<Employee[] | null>(opts.team ?? []),
    features: new Store<Feature[] | null>(opts.features === undefined ? [feature('none')] : opts.features),
    mailConfigured: new Store<boolean>(opts.mailConfigured ?? true),
    epoch: new Store<number>(0),
    api: {
      async projects() {
        calls.push('GET projects');
        return server.projects;
      },
      async request(method: string, path: string) {
        calls.push(`${method} ${path}`);
        if (typeof server.trunks === 'number') throw Object.assign(new Error('refused'), { status: server.trunks, code: 'not_found' });
        return { json: async () => ({ trunks: server.trunks }) };
      },
    },
    async loadFeatures() {
      calls.push('loadFeatures');
    },
    async requestFeature(key: string, contactEmail?: string) {
      calls.push(`request ${key} ${contactEmail}`);
      if (opts.accept === false) return false;
      app.features.set([feature('requested', { contact_email: contactEmail ?? null })]);
      return true;
    },
    async disableFeature(key: string) {
      calls.push(`disable ${key}`);
    },
    async setBarge() {},
    go(route: Route) {
      routes.push(route);
    },
  };
  return { app, calls, routes, asApp: app as unknown as App };
}

/** Renders `view` with the app in context into a fresh fake document; effects and fetches settle. */
export async function mount(app: App, view: ComponentChild): Promise<FakeElement> {
  const root = installFakeDom();
  await act(async () => {
    render(h(AppContext.Provider, { value: app }, view), root as never);
  });
  await settle();
  return root;
}

/** Lets pending promises (fake fetches) resolve and the renders they cause happen. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await act(() => new Promise<void>((done) => setTimeout(done, 0)));
}

/** A user's action on the rendered page, with the renders it causes. */
export async function user(action: () => void): Promise<void> {
  await act(async () => action());
  await settle();
}

/** Types into an input as a user does: the value changes, then the input event fires. */
export function type(input: FakeElement, text: string): void {
  input.value = text;
  input.dispatch('input');
}
