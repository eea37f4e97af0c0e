import { ApiError, NETWORK_ERROR, errorFromReply } from './errors';
import type {
  Account,
  Call,
  Card,
  Comment,
  Connection,
  CreatedEmployee,
  Employee,
  EmployeeInput,
  Feature,
  FeatureList,
  LoginReply,
  ManagedEmployee,
  Me,
  MonitorMode,
  MonitorNextReply,
  MonitorSession,
  Project,
  ProjectState,
  RingDevice,
  SoftphoneCredentials,
  Trunk,
  TrunkInput,
  TrunkNumber,
} from './types';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin prefix of the API; '' for the same origin. */
  base?: string;
  fetch?: Fetch;
  token: () => string | null;
  /** Called on any 401 of an authenticated request (the token expired or was revoked). */
  onUnauthorized?: () => void;
}

/** The HTTP API of SPEC §10: one method per route, typed replies, refusals thrown as ApiError. */
export class ApiClient {
  private readonly base: string;
  private readonly fetchImpl: Fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.base ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** A raw authenticated request; throws ApiError on a non-2xx reply. */
  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let reply: Response;
    try {
      reply = await this.fetchImpl(this.base + path, init);
    } catch (e) {
      throw new ApiError(0, NETWORK_ERROR, e instanceof Error ? e.message : String(e));
    }
    if (!reply.ok) {
      const error = errorFromReply(reply.status, await reply.text());
      if (reply.status === 401 && token) this.options.onUnauthorized?.();
      throw error;
    }
    return reply;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.request(method, path, body);
    if (reply.status === 204) return undefined as T;
    return (await reply.json()) as T;
  }

  login(login: string, password: string) {
    return this.json<LoginReply>('POST', '/api/v1/auth/login', { login, password });
  }
  logout() {
    return this.json<void>('POST', '/api/v1/auth/logout');
  }
  me() {
    return this.json<Me>('GET', '/api/v1/me');
  }
  async team() {
    return (await this.json<{ employees: Employee[] }>('GET', '/api/v1/team')).employees;
  }
  async projects() {
    return (await this.json<{ projects: Project[] }>('GET', '/api/v1/projects')).projects;
  }
  createProject(name: string, results: string[] = []) {
    return this.json<Project>('POST', '/api/v1/projects', { name, results });
  }
  renameProject(id: number, name: string) {
    return this.json<Project>('PATCH', `/api/v1/projects/${id}`, { name });
  }
  archiveProject(id: number, archived: boolean) {
    return this.json<Project>('POST', `/api/v1/projects/${id}/${archived ? 'archive' : 'unarchive'}`);
  }
  /** Puts an operator on the project (`on`) or takes them off. */
  setProjectOperator(id: number, userId: number, on: boolean) {
    return this.json<Project>(on ? 'PUT' : 'DELETE', `/api/v1/projects/${id}/operators/${userId}`);
  }
  addProjectResult(id: number, label: string) {
    return this.json<{ id: number; label: string; project: Project }>('POST', `/api/v1/projects/${id}/results`, { label });
  }
  renameProjectResult(id: number, resultId: number, label: string) {
    return this.json<Project>('PATCH', `/api/v1/projects/${id}/results/${resultId}`, { label });
  }
  retireProjectResult(id: number, resultId: number) {
    return this.json<Project>('POST', `/api/v1/projects/${id}/results/${resultId}/retire`);
  }
  async trunks() {
    return (await this.json<{ trunks: Trunk[] }>('GET', '/api/v1/trunks')).trunks;
  }
  createTrunk(input: TrunkInput) {
    return this.json<Trunk>('POST', '/api/v1/trunks', input);
  }
  updateTrunk(id: number | string, input: TrunkInput) {
    return this.json<Trunk>('PATCH', `/api/v1/trunks/${encodeURIComponent(String(id))}`, input);
  }
  deleteTrunk(id: number | string) {
    return this.json<void>('DELETE', `/api/v1/trunks/${encodeURIComponent(String(id))}`);
  }
  addNumber(trunkId: number | string, number: string, projectId: number) {
    return this.json<TrunkNumber>('POST', `/api/v1/trunks/${encodeURIComponent(String(trunkId))}/numbers`, { number, project_id: projectId });
  }
  removeNumber(trunkId: number | string, number: string) {
    return this.json<void>('DELETE', `/api/v1/trunks/${encodeURIComponent(String(trunkId))}/numbers/${encodeURIComponent(number)}`);
  }
  projectState(id: number) {
    return this.json<ProjectState>('GET', `/api/v1/projects/${id}/state`);
  }
  async calls(query: { state?: string; limit?: number } = {}) {
    const params = new URLSearchParams();
    if (query.state) params.set('state', query.state);
    if (query.limit) params.set('limit', String(query.limit));
    const qs = params.toString();
    return (await this.json<{ calls: Call[] }>('GET', `/api/v1/calls${qs ? `?${qs}` : ''}`)).calls;
  }
  card(callId: number) {
    return this.json<Card>('GET', `/api/v1/calls/${callId}`);
  }
  monitor(callId: number, mode: MonitorMode) {
    return this.json<MonitorSession>('POST', `/api/v1/calls/${callId}/monitor`, { mode });
  }
  session(sessionId: number) {
    return this.json<MonitorSession>('GET', `/api/v1/monitor/${sessionId}`);
  }
  switchMode(sessionId: number, mode: MonitorMode) {
    return this.json<MonitorSession>('PATCH', `/api/v1/monitor/${sessionId}`, { mode });
  }
  disconnect(sessionId: number) {
    return this.json<void>('DELETE', `/api/v1/monitor/${sessionId}`);
  }
  monitorNext(employeeId: number, mode: MonitorMode) {
    return this.json<MonitorNextReply>('POST', `/api/v1/employees/${employeeId}/monitor-next`, { mode });
  }
  cancelMonitorNext(employeeId: number) {
    return this.json<void>('DELETE', `/api/v1/employees/${employeeId}/monitor-next`);
  }
  async comments(callId: number) {
    return (await this.json<{ comments: Comment[] }>('GET', `/api/v1/calls/${callId}/comments`)).comments;
  }
  addComment(callId: number, text: string, offsetMs?: number) {
    const body: Record<string, unknown> = { text };
    if (offsetMs !== undefined) body.offset_ms = Math.max(0, Math.round(offsetMs));
    return this.json<Comment>('POST', `/api/v1/calls/${callId}/comments`, body);
  }
  setResult(callId: number, resultId: number, note: string) {
    return this.json<Call>('PUT', `/api/v1/calls/${callId}/result`, { result_id: resultId, note });
  }
  save(callId: number, saved: boolean) {
    return this.json<void>(saved ? 'PUT' : 'DELETE', `/api/v1/calls/${callId}/saved`);
  }
  async savedCalls() {
    return (await this.json<{ calls: Call[] }>('GET', '/api/v1/saved-calls')).calls;
  }
  async recording(callId: number): Promise<Blob> {
    return (await this.request('GET', `/api/v1/calls/${callId}/recording`)).blob();
  }
  callClient(callId: number) {
    return this.json<{ call_id: number }>('POST', `/api/v1/calls/${callId}/call-client`);
  }
  callEmployee(employeeId: number) {
    return this.json<{ call_id: number }>('POST', `/api/v1/employees/${employeeId}/call`);
  }
  /** The account's settings (creators and administrators): barge on or off. */
  updateAccount(change: { barge_enabled: boolean }) {
    return this.json<Account>('PATCH', '/api/v1/account', change);
  }
  /** The browser's SIP credentials for this session (a per-session secret, fetched fresh). */
  softphone() {
    return this.json<SoftphoneCredentials>('GET', '/api/v1/me/softphone');
  }
  /** Which device rings for me: the browser or my SIP phone. */
  async myDevice() {
    return (await this.json<{ ring: RingDevice }>('GET', '/api/v1/me/device')).ring;
  }
  async setMyDevice(ring: RingDevice) {
    return (await this.json<{ ring: RingDevice }>('PUT', '/api/v1/me/device', { ring })).ring;
  }
  /** An employee's ring device (administrators); the server answers with the employee. */
  async setUserDevice(userId: number, ring: RingDevice) {
    return (await this.json<{ ring_device: RingDevice }>('PUT', `/api/v1/employees/${userId}/device`, { ring })).ring_device;
  }
  /** Employee management (creators and administrators); secrets come back once. */
  createEmployee(input: EmployeeInput) {
    return this.json<CreatedEmployee>('POST', '/api/v1/employees', input);
  }
  updateEmployee(id: number, change: Partial<EmployeeInput>) {
    return this.json<ManagedEmployee>('PATCH', `/api/v1/employees/${id}`, change);
  }
  setEmployeeActive(id: number, active: boolean) {
    return this.json<ManagedEmployee>('POST', `/api/v1/employees/${id}/${active ? 'activate' : 'deactivate'}`);
  }
  async resetPassword(id: number) {
    return (await this.json<{ password: string }>('POST', `/api/v1/employees/${id}/password`)).password;
  }
  async resetSipPassword(id: number) {
    return (await this.json<{ sip_password: string }>('POST', `/api/v1/employees/${id}/sip-password`)).sip_password;
  }
  connection(id: number) {
    return this.json<Connection>('GET', `/api/v1/employees/${id}/connection`);
  }
  async features() {
    return (await this.featureList()).features;
  }
  /** The features and whether the server can send their mail. */
  featureList() {
    return this.json<FeatureList>('GET', '/api/v1/features');
  }
  /** A connection request; the connection mail goes to `contactEmail` (default: the account's). */
  requestFeature(key: string, contactEmail?: string) {
    return this.json<Feature>('POST', `/api/v1/features/${key}/request`, contactEmail === undefined ? undefined : { contact_email: contactEmail });
  }
  disableFeature(key: string) {
    return this.json<Feature>('POST', `/api/v1/features/${key}/disable`);
  }
}
