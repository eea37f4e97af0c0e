// JsSIP's user agent for the softphone: SIP over WebSocket (RFC 7118), digest auth with the
// per-session secret of /api/v1/me/softphone.
import { UA, WebSocketInterface } from 'jssip';
import type { SoftphoneCredentials, UaLike } from './types';

export function jssipUa(c: SoftphoneCredentials): UaLike {
  const ua = new UA({
    sockets: [new WebSocketInterface(c.ws_url)],
    uri: c.uri,
    authorization_user: c.authorization_user,
    password: c.password,
    display_name: c.display_name,
    realm: c.realm,
    register: true,
    session_timers: false,
    user_agent: 'Suflyor web',
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 30,
  });
  return ua as unknown as UaLike;
}
