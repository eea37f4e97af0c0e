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
}

export interface Project {
  id: number;
  name: string;
  operators: number[];
  results: ResultChoice[];
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
