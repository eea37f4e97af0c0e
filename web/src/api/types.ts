// The API's shapes (src/api/openapi.json). Shapes may grow, so only what the UI reads is typed.
import type { RingDevice, SoftphoneCredentials } from '../softphone/types';

export type { RingDevice, SoftphoneCredentials };
export type Role = 'creator' | 'administrator' | 'operator';
export type Presence = 'offline' | 'available' | 'ringing' | 'talking';
export type MonitorMode = 'listen' | 'whisper' | 'barge';
export type FeatureState = 'none' | 'requested' | 'connected' | 'disabled';

export interface Person {
  id: number;
  name: string;
}

export interface Account {
  id: number;
  name: string;
  contact_email: string;
  sip_domain: string;
  barge_enabled: boolean;
}

export interface Me {
  id: number;
  name: string;
  login: string;
  role: Role;
  sip_user: string;
  status: Presence;
  status_since: string | null;
  account: Account;
  may_monitor: boolean;
  /** Which device rings for me (absent from servers without the browser softphone). */
  ring_device?: RingDevice;
}

export interface LoginReply {
  token: string;
  expires_at: string | null;
  user: Me;
}

export interface Call {
  id: number;
  client_number: string;
  direction: 'inbound' | 'outbound' | 'internal';
  state: 'ringing' | 'talking' | 'ended';
  operator: Person | null;
  project: Person | null;
  created_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  monitored_by: { session_id: number; supervisor: Person | null; mode: MonitorMode } | null;
  has_recording: boolean;
  recording_incomplete?: boolean;
  recording_lost_ms?: number;
  saved_at?: string | null;
}

export interface ResultChoice {
  id: number;
  label: string;
}

export interface CallResult extends ResultChoice {
  note: string;
  by: Person | null;
  at: string | null;
}

export interface MonitorSession {
  session_id: number;
  call_id: number;
  supervisor: Person | null;
  mode: MonitorMode;
  modes: { mode: MonitorMode; at: string | null }[];
  started_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
}

export interface Card extends Call {
  result: CallResult | null;
  results: ResultChoice[];
  monitor_sessions: MonitorSession[];
  saved: boolean;
  comments: number;
  duration_ms: number;
}

export interface Employee {
  id: number;
  name: string;
  login: string;
  role: Role;
  status: Presence;
  status_since: string | null;
  current_call: Call | null;
  ring_device?: RingDevice;
  /** false once deactivated (kept with their history, cut off from sign-in, phones and calls). */
  active?: boolean;
  deactivated_at?: string | null;
  /** The device registered now, from the SIP registrar; null when none. */
  registration?: Registration | null;
}

export interface Registration {
  device: RingDevice;
  /** ip:port the device registered from */
  address: string;
  since: string;
}

/** An employee as the management routes answer (with their SIP user and projects). */
export interface ManagedEmployee extends Employee {
  sip_user: string;
  project_ids: number[];
}

export interface EmployeeInput {
  name: string;
  login: string;
  role: Role;
  project_ids: number[];
}

export interface CreatedEmployee {
  employee: ManagedEmployee;
  password: string;
  sip_password: string;
}

/** What a softphone needs to register as an employee (GET /api/v1/employees/{id}/connection). */
export interface Connection {
  host: string;
  port: number;
  transport: string;
  transports: { transport: string; port: number }[];
  user: string;
  domain: string;
  realm: string;
  loopback_only: boolean;
  ws_url: string | null;
}

export interface Project {
  id: number;
  name: string;
  operators: number[];
  /** The results operators may choose (the card offers these). */
  results: ResultChoice[];
  /** No longer offered; calls that were given one keep it. */
  retired_results?: ResultChoice[];
  /** An archived project takes no new calls; its history stays. */
  archived?: boolean;
  archived_at?: string | null;
  /** Dialled numbers (DIDs) that reach the project. */
  numbers?: string[];
}

export type TrunkTransport = 'udp' | 'tcp' | 'tls';

export interface TrunkNumber {
  number: string;
  project_id: number | null;
  project: { id: number | null; name: string } | null;
}

/** A SIP trunk; `source: 'config'` ones come from the configuration file and are read-only. */
export interface Trunk {
  id: number | string;
  name: string;
  peer: string;
  transport: TrunkTransport;
  sources: string[];
  caller_id: string;
  register_outbound: boolean;
  username: string;
  has_password: boolean;
  source: 'database' | 'config';
  read_only: boolean;
  numbers: TrunkNumber[];
  registration: { state: 'registered' | 'failing' | 'pending'; reason: string } | null;
}

/** The body of POST /trunks (all of it) and PATCH /trunks/{id} (what changed). */
export interface TrunkInput {
  name?: string;
  peer?: string;
  transport?: TrunkTransport;
  sources?: string[];
  caller_id?: string;
  register_outbound?: boolean;
  username?: string;
  password?: string;
}

export interface ProjectState {
  project: Project;
  operators: Employee[];
  talking: number;
  available: number;
  ringing_calls: number;
}

export interface Comment {
  id: number;
  call_id: number;
  author: Person | null;
  text: string;
  offset_ms: number;
  dictated: boolean;
  created_at: string | null;
}

export interface Feature {
  key: string;
  state: FeatureState;
  requested_at: string | null;
  connected_at: string | null;
  disabled_at: string | null;
  /** The address given with the latest request: the connection mail goes there. */
  contact_email?: string | null;
}

export interface FeatureList {
  features: Feature[];
  /** Whether the server has a mail server (absent from older servers: assume so). */
  mail_configured?: boolean;
}

export type MonitorNextReply =
  | { joined: true; session: MonitorSession }
  | { joined: false; armed: true; employee_id: number; mode: MonitorMode };

/** One WebSocket frame (docs/events.md). */
export interface EventFrame {
  type: string;
  seq: number;
  data?: unknown;
}
