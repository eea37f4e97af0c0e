import { ApiClient } from '../api/client';
import { describeError, describeRefusal, personOf } from '../api/describe';
import { isApiError } from '../api/errors';
import type { Call, CallResult, Connection, Employee, EmployeeInput, EventFrame, Feature, Me, MonitorMode, MonitorSession, Project, RingDevice } from '../api/types';
import { EventsClient, eventsUrl, type ConnectionStatus, type SocketLike } from '../events/client';
import { I18n, dictionaries, type MessageKey } from '../i18n';
import { Store, browserStorage, loadSnapshot, type KeyValue } from '../lib/store';
import { canSetResult, isSupervisorRole } from '../lib/permissions';
import { applyEmployee } from '../lib/employees';
import { JoinRefusals, PlacedCalls } from './feedback';
import { Notices } from './notices';
import {
  applyCallToCard,
  applyCallToList,
  applyCallToTeam,
  applyFeature,
  applyFollowEvent,
  applyMonitorEvent,
  applyPresence,
  applyResult,
  type CardState,
  type MonitorEventData,
  type SessionPhase,
} from './reduce';
import { Router, type Route } from './router';
import { PhoneControl } from './phone';
import { ProjectsControl } from './projects';
import { PageMedia } from '../softphone/media';
import { jssipUa } from '../softphone/jssip';
import { pickCurrentCall } from '../softphone/linkage';
import type { PhoneCall } from '../softphone/types';

const TOKEN_KEY = 'suflyor.token';

/** Secrets the server generated, shown once in a dialog (never stored anywhere else). */
export interface Secrets {
  name: string;
  login: string;
  password?: string;
  sipPassword?: string;
}

export interface Session {
  token: string;
  me: Me;
}

/** The application: API, live events, state stores and the user's actions with their feedback. */
export class App {
  readonly storage: KeyValue = browserStorage();
  readonly i18n = new I18n(this.storage);
  readonly notices = new Notices();
  readonly router = new Router();
  readonly session = new Store<Session | null>(null);
  readonly booting = new Store<boolean>(true);
  readonly team = new Store<Employee[] | null>(null);
  readonly features = new Store<Feature[] | null>(null);
  /** The one-time secrets dialog (after creating an employee or resetting a password). */
  readonly secrets = new Store<Secrets | null>(null);
  /** Whether the server has a mail server: without one no connection mail goes out. */
  readonly mailConfigured = new Store<boolean>(true);
  readonly card = new Store<CardState | null>(null);
  readonly myCalls = new Store<Call[] | null>(null);
  /** Employees whose next call I will join by myself (re-join armed, not yet fired). */
  readonly following = new Store<number[]>([]);
  readonly live = new Store<ConnectionStatus>('closed');
  /** Bumped when the state must be refetched (resync): views holding their own data reload. */
  readonly epoch = new Store<number>(0);
  /** Counts trunk.* / number.* events: the Trunks page refetches on each. */
  readonly trunksChanged = new Store<number>(0);
  readonly api: ApiClient;
  readonly media = new PageMedia(this.storage);
  /** Which device rings for me, and the browser softphone. */
  readonly phone: PhoneControl;
  /** The account's projects and their management (Projects page). */
  readonly projects: ProjectsControl;
  private events: EventsClient | null = null;
  /** The latest phase of my sessions, also for events that arrive before the card is loaded. */
  private readonly phases = new Map<number, SessionPhase>();
  /** Join requests in flight: their monitor.started is not a follow that fired. */
  private joining = 0;
  /** Refusals of my joins already reported by a reply (their monitor.refused adds nothing). */
  private readonly refusals = new JoinRefusals();
  /** Calls the card placed, whose failure (busy, unknown number, ...) call.ended reports. */
  private readonly placedCalls = new PlacedCalls();

  constructor() {
    this.api = new ApiClient({
      token: () => this.session.get()?.token ?? this.storage.getItem(TOKEN_KEY),
      onUnauthorized: () => this.signedOut(true),
    });
    this.phone = new PhoneControl({
      api: this.api,
      notices: this.notices,
      t: this.t,
      makeUa: jssipUa,
      media: this.media,
      onTalking: (call) => this.onPhoneTalking(call),
    });
    this.projects = new ProjectsControl({ api: this.api, notices: this.notices, t: this.t });
  }

  t = (key: MessageKey, params?: Record<string, string | number>) => this.i18n.t(key, params);

  get me(): Me | null {
    return this.session.get()?.me ?? null;
  }

  go(route: Route): void {
    this.router.go(route);
  }

  // ---- session ------------------------------------------------------------------------------

  async restore(): Promise<void> {
    const token = this.storage.getItem(TOKEN_KEY);
    try {
      if (token) await this.begin(token, await this.api.me());
    } catch {
      this.storage.removeItem(TOKEN_KEY);
    } finally {
      this.booting.set(false);
    }
  }

  /** Signs in; returns the refusal text, or null on success. */
  async login(login: string, password: string): Promise<string | null> {
    try {
      const reply = await this.api.login(login, password);
      await this.begin(reply.token, reply.user);
      return null;
    } catch (e) {
      return describeError(this.t, e);
    }
  }

  async logout(): Promise<void> {
    await this.phone.end(); // unregistered while the session's SIP secret is still valid
    try {
      await this.api.logout();
    } catch {
      /* the token dies anyway */
    }
    this.signedOut(false);
  }

  private async begin(token: string, me: Me): Promise<void> {
    this.storage.setItem(TOKEN_KEY, token);
    this.session.set({ token, me });
    this.events = new EventsClient({
      url: (since) => eventsUrl(location, token, since),
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onEvent: (frame) => this.onEvent(frame),
      onResync: () => void this.refreshAll(),
      onStatus: (status) => this.live.set(status),
    });
    this.events.start();
    void this.phone.begin(me);
  }

  private signedOut(expired: boolean): void {
    if (!this.session.get()) return;
    this.events?.stop();
    this.events = null;
    void this.phone.end(); // after logout() it has ended already
    this.storage.removeItem(TOKEN_KEY);
    this.session.set(null);
    this.team.set(null);
    this.features.set(null);
    this.secrets.set(null);
    this.card.set(null);
    this.myCalls.set(null);
    this.projects.clear();
    this.phases.clear();
    if (expired) this.notices.push('error', this.t('error.unauthorized'));
    this.go({ name: 'home' });
  }

  // ---- state --------------------------------------------------------------------------------

  /** Refetches what is shown (first socket open, resync, gap). */
  async refreshAll(): Promise<void> {
    const me = this.me;
    if (!me) return;
    await this.quietly(async () => {
      const fresh = await this.api.me();
      const session = this.session.get();
      if (session) this.session.set({ ...session, me: fresh });
      void this.phone.sync(fresh.ring_device);
      if (isSupervisorRole(fresh.role)) {
        await Promise.all([loadSnapshot(this.team, () => this.api.team()), loadSnapshot(this.features, () => this.fetchFeatures())]);
      } else {
        await loadSnapshot(this.myCalls, () => this.api.calls({ limit: 20 }));
      }
      const card = this.card.get();
      if (card) await this.loadCard(card.card.id);
    });
    this.epoch.update((n) => n + 1);
  }

  async loadTeam(): Promise<void> {
    await this.guard(() => loadSnapshot(this.team, () => this.api.team()));
  }

  async loadFeatures(): Promise<void> {
    await this.guard(() => loadSnapshot(this.features, () => this.fetchFeatures()));
  }

  private async fetchFeatures(): Promise<Feature[]> {
    const list = await this.api.featureList();
    this.mailConfigured.set(list.mail_configured !== false);
    return list.features;
  }

  async loadMyCalls(): Promise<void> {
    await this.guard(() => loadSnapshot(this.myCalls, () => this.api.calls({ limit: 20 })));
  }

  /** Opens the card of a call; my running session on it (if any) stays attached. */
  async loadCard(callId: number, session: MonitorSession | null = null): Promise<void> {
    await this.guard(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = this.card.version;
        const [card, comments] = await Promise.all([this.api.card(callId), this.api.comments(callId)]);
        if (this.card.version !== before && attempt < 2) continue; // an event is newer: fetch again
        const old = this.card.get();
        const kept = session ?? (old && old.card.id === callId ? old.session : null);
        const phase = kept ? (this.phases.get(kept.session_id) ?? (kept.ended_at ? 'ended' : 'ringing')) : null;
        this.card.set({ card, comments, session: kept, phase });
        return;
      }
    });
  }

  private onEvent(frame: EventFrame): void {
    const me = this.me;
    if (!me) return;
    const data = frame.data as Record<string, unknown>;
    if (frame.type === 'presence.changed') {
      const employee = data as unknown as Employee;
      this.team.update((t) => (t ? applyPresence(t, employee) : t));
      const session = this.session.get();
      if (session && employee.id === me.id)
        this.session.set({ ...session, me: { ...session.me, status: employee.status, status_since: employee.status_since } });
    } else if (frame.type.startsWith('project.')) {
      this.projects.onEvent(data as unknown as Project);
    } else if (frame.type.startsWith('employee.')) {
      // Another tab (or supervisor) added, changed, deactivated or activated an employee.
      this.team.update((t) => (t ? applyEmployee(t, data as unknown as Employee) : t));
    } else if (frame.type === 'card.result') {
      this.card.update((c) => applyResult(c, data as unknown as { call_id: number; result: CallResult | null }));
    } else if (frame.type.startsWith('call.')) {
      const call = data as unknown as Call;
      this.team.update((t) => (t ? applyCallToTeam(t, call) : t));
      this.card.update((c) => applyCallToCard(c, call));
      if (call.operator?.id === me.id) this.myCalls.update((l) => (l ? applyCallToList(l, call) : l));
      if (frame.type === 'call.ended') this.reportPlaced(this.placedCalls.onEnded(call));
      if (frame.type === 'call.ended' && this.card.get()?.card.id === call.id) void this.loadCard(call.id);
    } else if (frame.type.startsWith('trunk.') || frame.type.startsWith('number.')) {
      this.trunksChanged.update((n) => n + 1);
    } else if (frame.type.startsWith('monitor.')) {
      this.onMonitorEvent(frame.type, data, me);
    } else if (frame.type.startsWith('feature.')) {
      const feature = data as unknown as Feature;
      this.features.update((f) => (f ? applyFeature(f, feature) : f));
      if (frame.type === 'feature.connected') this.notices.push('success', this.t('notice.featureConnected'));
      void this.quietly(async () => {
        const session = this.session.get();
        if (session) this.session.set({ ...session, me: await this.api.me() });
      });
    }
  }

  private onMonitorEvent(type: string, data: Record<string, unknown>, me: Me): void {
    const mine = data.supervisor_id === me.id;
    if (type === 'monitor.refused') {
      // A join I asked for is reported by its reply; this is news only for a follow that fired.
      if (mine && this.refusals.isNews(Number(data.call_id))) {
        const reason = describeRefusal(this.t, String(data.code), String(data.message ?? ''), { by: personOf(data.by) });
        this.notices.push('error', this.t('notice.refused', { reason }));
      }
      return;
    }
    if (type.startsWith('monitor.follow_')) {
      this.following.update((ids) => applyFollowEvent(ids, type, data, me.id));
      if (mine && type === 'monitor.follow_expired') this.notices.push('info', this.t('notice.followExpired'));
      return;
    }
    const event = data as unknown as MonitorEventData;
    if (mine) {
      const phase: SessionPhase =
        type === 'monitor.started' ? 'ringing' : type === 'monitor.stopped' ? 'ended' : event.state === 'joined' ? 'joined' : (this.phases.get(event.session_id) ?? 'joined');
      this.phases.set(event.session_id, phase);
      // "Ringing your phone" is over once the phone answered (or the session ended).
      if (phase !== 'ringing' && this.notices.settle(ringingKey(event.session_id)) && phase === 'joined')
        this.notices.push('success', this.t('notice.sessionJoined', { mode: this.t(`mode.${event.mode}`) }));
      const card = this.card.get();
      // A follow that fired (no join request of mine in flight): its card opens.
      if (type === 'monitor.started' && this.joining === 0 && card?.session?.session_id !== event.session_id) {
        void this.quietly(async () => {
          const session = await this.api.session(event.session_id);
          await this.loadCard(event.call_id, session);
          // A follow fires once: the server no longer waits for that employee.
          const employee = this.card.get()?.card.operator?.id;
          if (employee !== undefined) this.following.update((ids) => ids.filter((id) => id !== employee));
          this.go({ name: 'card', callId: event.call_id });
          this.announceSession(event.session_id, event.mode);
        });
        return;
      }
      if (type === 'monitor.stopped' && event.reason && event.reason !== 'supervisor_left' && card?.session?.session_id === event.session_id) {
        const key = `reason.${event.reason}` as MessageKey;
        this.notices.push('info', this.t('notice.sessionStopped', { reason: key in dictionaries.ru ? this.t(key) : event.reason }));
      }
    }
    this.card.update((c) => applyMonitorEvent(c, type, event, me.id));
    if (type === 'monitor.started' && this.card.get()?.card.id === event.call_id && !mine) void this.loadCard(event.call_id);
  }

  /** Whether my sessions and placed calls ring this page rather than a SIP phone. */
  get ringsBrowser(): boolean {
    return this.phone.ring.get() === 'browser';
  }

  /**
   * A softphone call was answered. Monitor calls belong to the card already open; an operator's
   * own call opens its card: the server's INVITE names no call, so it is found in the operator's
   * live call list (the unfinished call with that client number), waiting for its event if needed.
   */
  private onPhoneTalking(call: PhoneCall): void {
    const me = this.me;
    if (!me || call.monitorId !== null || isSupervisorRole(me.role)) return;
    void this.quietly(async () => {
      const until = Date.now() + 10_000;
      for (;;) {
        if (this.phone.softphone.state.get().call?.seq !== call.seq) return;
        if (!this.myCalls.get()) await loadSnapshot(this.myCalls, () => this.api.calls({ limit: 20 }));
        const found = pickCurrentCall(this.myCalls.get() ?? [], me.id, call.remote);
        if (found) {
          if (this.card.get()?.card.id !== found.id) await this.loadCard(found.id);
          this.go({ name: 'card', callId: found.id });
          return;
        }
        if (Date.now() > until) return;
        await new Promise((r) => setTimeout(r, 700));
        await loadSnapshot(this.myCalls, () => this.api.calls({ limit: 20 }));
      }
    });
  }

  // ---- actions (each reports success or the server's reason) ---------------------------------

  async join(callId: number, mode: MonitorMode): Promise<boolean> {
    this.joining++;
    this.refusals.begin();
    let joined = false;
    try {
      joined = await this.joinNow(callId, mode);
      return joined;
    } finally {
      this.joining--;
      this.refusals.end(joined ? undefined : callId);
    }
  }

  /** My session rings my phone: say so until it answers; if it already did, say joined. */
  private announceSession(sessionId: number, mode: MonitorMode): void {
    const phase = this.phases.get(sessionId) ?? 'ringing';
    const modeName = this.t(`mode.${mode}`);
    if (phase === 'ringing') this.notices.pushUntil(ringingKey(sessionId), 'info', this.t(this.ringsBrowser ? 'notice.joinedBrowser' : 'notice.joined', { mode: modeName }), 60_000);
    else if (phase === 'joined') this.notices.push('success', this.t('notice.sessionJoined', { mode: modeName }));
  }

  private reportPlaced(failure: MessageKey | null): void {
    if (failure) this.notices.push('error', this.t('notice.placedFailed', { reason: this.t(failure) }));
  }

  private joinNow(callId: number, mode: MonitorMode): Promise<boolean> {
    return this.guard(async () => {
      const session = await this.api.monitor(callId, mode);
      if (!this.phases.has(session.session_id)) this.phases.set(session.session_id, 'ringing');
      await this.loadCard(callId, session);
      this.go({ name: 'card', callId });
      this.announceSession(session.session_id, mode);
    });
  }

  async switchMode(mode: MonitorMode): Promise<void> {
    const state = this.card.get();
    if (!state?.session) return;
    await this.guard(async () => {
      const session = await this.api.switchMode(state.session!.session_id, mode);
      this.card.update((c) => (c && c.session?.session_id === session.session_id ? { ...c, session } : c));
      this.notices.push('success', this.t('notice.switched', { mode: this.t(`mode.${mode}`) }));
    });
  }

  async disconnect(): Promise<void> {
    const state = this.card.get();
    if (!state?.session) return;
    const id = state.session.session_id;
    await this.guard(async () => {
      await this.api.disconnect(id);
      this.phases.set(id, 'ended');
      this.card.update((c) => (c && c.session?.session_id === id ? { ...c, phase: 'ended' } : c));
      this.notices.push('info', this.t('notice.disconnected'));
    });
  }

  /** Re-join the card's employee: their call now, or their next answered one. */
  async rejoin(mode: MonitorMode): Promise<void> {
    const operator = this.card.get()?.card.operator;
    if (!operator) return;
    this.joining++;
    this.refusals.begin();
    const answered = await this.guard(async () => {
      const reply = await this.api.monitorNext(operator.id, mode);
      if (reply.joined) {
        this.phases.set(reply.session.session_id, this.phases.get(reply.session.session_id) ?? 'ringing');
        await this.loadCard(reply.session.call_id, reply.session);
        this.go({ name: 'card', callId: reply.session.call_id });
        this.announceSession(reply.session.session_id, mode);
      } else {
        this.following.update((ids) => (ids.includes(operator.id) ? ids : [...ids, operator.id]));
        this.notices.push('info', this.t('notice.armed'));
      }
    });
    this.joining--;
    this.refusals.end(answered ? undefined : null); // the refused join's call is not known here
  }

  /** Stops waiting for the employee's next call. */
  async cancelRejoin(employeeId: number): Promise<void> {
    await this.guard(async () => {
      await this.api.cancelMonitorNext(employeeId);
      this.following.update((ids) => ids.filter((id) => id !== employeeId));
      this.notices.push('info', this.t('notice.followCancelled'));
    });
  }

  /** Turns barge on or off for the account (creators and administrators). */
  async setBarge(enabled: boolean): Promise<void> {
    await this.guard(async () => {
      const account = await this.api.updateAccount({ barge_enabled: enabled });
      const session = this.session.get();
      if (session) this.session.set({ ...session, me: { ...session.me, account } });
      this.notices.push('success', this.t(enabled ? 'notice.bargeOn' : 'notice.bargeOff'));
    });
  }

  async callEmployee(): Promise<void> {
    const operator = this.card.get()?.card.operator;
    if (!operator) return;
    await this.guard(async () => {
      const placed = await this.api.callEmployee(operator.id);
      this.notices.push('info', this.t(this.ringsBrowser ? 'notice.callPlacedBrowser' : 'notice.callPlaced'));
      this.reportPlaced(this.placedCalls.add(placed.call_id));
    });
  }

  async callClient(): Promise<void> {
    const id = this.card.get()?.card.id;
    if (!id) return;
    await this.guard(async () => {
      const placed = await this.api.callClient(id);
      this.notices.push('info', this.t(this.ringsBrowser ? 'notice.callPlacedBrowser' : 'notice.callPlaced'));
      this.reportPlaced(this.placedCalls.add(placed.call_id));
    });
  }

  /** An employee's ring device (Team page, administrators); my own goes through the softphone. */
  async setEmployeeDevice(employeeId: number, ring: RingDevice): Promise<void> {
    if (employeeId === this.me?.id) {
      if (await this.phone.choose(ring)) this.team.update((t) => (t ? t.map((e) => (e.id === employeeId ? { ...e, ring_device: ring } : e)) : t));
      return;
    }
    await this.guard(async () => {
      const saved = await this.api.setUserDevice(employeeId, ring);
      this.team.update((t) => (t ? t.map((e) => (e.id === employeeId ? { ...e, ring_device: saved } : e)) : t));
      const name = this.team.get()?.find((e) => e.id === employeeId)?.name ?? '';
      this.notices.push('success', this.t(saved === 'browser' ? 'notice.employeeRingBrowser' : 'notice.employeeRingSipPhone', { name }));
    });
  }

  // ---- employees (Team page, creators and administrators) -----------------------------------

  /** Adds an employee; their secrets open the one-time dialog. Throws the refusal (the form shows its field). */
  async createEmployee(input: EmployeeInput): Promise<void> {
    const created = await this.api.createEmployee(input);
    this.team.update((t) => (t ? applyEmployee(t, created.employee) : t));
    this.secrets.set({ name: created.employee.name, login: created.employee.login, password: created.password, sipPassword: created.sip_password });
  }

  /** Saves the form's changes. Throws the refusal (the form shows its field). */
  async updateEmployee(id: number, change: Partial<EmployeeInput>): Promise<void> {
    const saved = await this.api.updateEmployee(id, change);
    this.team.update((t) => (t ? applyEmployee(t, saved) : t));
    this.notices.push('success', this.t('employees.saved', { name: saved.name }));
  }

  async setEmployeeActive(id: number, active: boolean): Promise<void> {
    await this.guard(async () => {
      const saved = await this.api.setEmployeeActive(id, active);
      this.team.update((t) => (t ? applyEmployee(t, saved) : t));
      this.notices.push('success', this.t(active ? 'employees.activated' : 'employees.deactivated', { name: saved.name }));
    });
  }

  async resetPassword(employee: Employee, kind: 'password' | 'sip'): Promise<void> {
    await this.guard(async () => {
      const secrets: Secrets = { name: employee.name, login: employee.login };
      if (kind === 'password') secrets.password = await this.api.resetPassword(employee.id);
      else secrets.sipPassword = await this.api.resetSipPassword(employee.id);
      this.secrets.set(secrets);
    });
  }

  /** The settings a softphone needs for the employee; null after a reported refusal. */
  async connection(id: number): Promise<Connection | null> {
    let found: Connection | null = null;
    await this.guard(async () => {
      found = await this.api.connection(id);
    });
    return found;
  }

  async toggleSaved(): Promise<void> {
    const state = this.card.get();
    if (!state) return;
    const saved = !state.card.saved;
    await this.guard(async () => {
      await this.api.save(state.card.id, saved);
      this.card.update((c) => (c && c.card.id === state.card.id ? { ...c, card: { ...c.card, saved } } : c));
      this.notices.push('success', this.t(saved ? 'notice.saved' : 'notice.unsaved'));
    });
  }

  async addComment(text: string): Promise<boolean> {
    const state = this.card.get();
    if (!state || !text.trim()) return false;
    const answered = state.card.answered_at ? Date.parse(state.card.answered_at) : NaN;
    const offset = state.card.state === 'talking' && !Number.isNaN(answered) ? Date.now() - answered : undefined;
    return this.guard(async () => {
      const comment = await this.api.addComment(state.card.id, text.trim(), offset);
      this.card.update((c) => (c && c.card.id === comment.call_id ? { ...c, comments: [...c.comments, comment] } : c));
      this.notices.push('success', this.t('notice.commented'));
    });
  }

  async setResult(resultId: number, note: string): Promise<void> {
    const state = this.card.get();
    const me = this.me;
    if (!state || !me || !canSetResult(me, state.card)) return;
    await this.guard(async () => {
      await this.api.setResult(state.card.id, resultId, note);
      await this.loadCard(state.card.id);
      this.notices.push('success', this.t('notice.resultSet'));
    });
  }

  async downloadRecording(): Promise<void> {
    const id = this.card.get()?.card.id;
    if (!id) return;
    await this.guard(async () => {
      const blob = await this.api.recording(id);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `call-${id}.wav`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }

  /** «Подключить»: the request with the contact email of the form; true when it was accepted. */
  async requestFeature(key: string, contactEmail?: string): Promise<boolean> {
    return this.guard(async () => {
      const feature = await this.api.requestFeature(key, contactEmail);
      this.features.update((f) => applyFeature(f ?? [], feature));
      this.notices.push('success', this.t(feature.state === 'connected' ? 'notice.featureConnected' : 'notice.featureRequested'));
    });
  }

  async disableFeature(key: string): Promise<void> {
    await this.guard(async () => {
      const feature = await this.api.disableFeature(key);
      this.features.update((f) => applyFeature(f ?? [], feature));
      this.notices.push('success', this.t('notice.featureDisabled'));
    });
  }

  /** Runs an action; a refusal becomes an error notification with the server's reason. */
  async guard(action: () => Promise<void>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (e) {
      if (!(isApiError(e) && e.status === 401)) this.notices.push('error', describeError(this.t, e));
      return false;
    }
  }

  private async quietly(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch {
      /* background refresh: the next event or resync retries */
    }
  }
}

function ringingKey(sessionId: number): string {
  return `ringing:${sessionId}`;
}
