import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../src/api/client';
import { ApiError } from '../src/api/errors';
import type { Call, Me, RingDevice, SoftphoneCredentials } from '../src/api/types';
import { translate } from '../src/i18n';
import { describeRefusal } from '../src/api/describe';
import { speakerList } from '../src/softphone/media';
import { pickCurrentCall, sameNumber } from '../src/softphone/linkage';
import type { PhoneCall } from '../src/softphone/types';
import { Notices } from '../src/state/notices';
import { PhoneControl } from '../src/state/phone';
import { FakeMedia, FakeSession, FakeUa, credentials, settle } from './softphone-fakes';

const t = (key: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('ru', key, p);

const me = (ring?: RingDevice): Me => ({
  id: 5,
  name: 'Olga',
  login: 'olga',
  role: 'operator',
  sip_user: 'olga',
  status: 'available',
  status_since: null,
  account: { id: 1, name: 'A', contact_email: '', sip_domain: 'example.com', barge_enabled: true },
  may_monitor: false,
  ...(ring ? { ring_device: ring } : {}),
});

/** The three routes PhoneControl uses, answering as the server does (or 404 before it has them). */
function fakeApi(opts: { ring?: RingDevice; missing?: boolean } = {}) {
  let ring: RingDevice = opts.ring ?? 'sip_phone';
  let secrets = 0;
  const log: string[] = [];
  const notFound = () => new ApiError(404, 'not_found', 'no route');
  const api = {
    async myDevice() {
      log.push('GET device');
      if (opts.missing) throw notFound();
      return ring;
    },
    async setMyDevice(r: RingDevice) {
      log.push(`PUT device ${r}`);
      ring = r;
      return r;
    },
    async softphone(): Promise<SoftphoneCredentials> {
      log.push('GET softphone');
      if (opts.missing) throw notFound();
      return credentials({ password: `secret-${++secrets}` });
    },
  };
  return { api: api as unknown as ApiClient, log };
}

function setup(api: ApiClient) {
  const uas: FakeUa[] = [];
  const talking: PhoneCall[] = [];
  const notices = new Notices();
  let now = 0;
  const control = new PhoneControl({
    api,
    notices,
    t,
    makeUa: (c) => {
      const ua = new FakeUa(c);
      uas.push(ua);
      return ua;
    },
    media: new FakeMedia(),
    onTalking: (call) => talking.push(call),
    now: () => now,
  });
  return { control, uas, talking, notices, advance: (ms: number) => (now += ms) };
}

describe('PhoneControl: the ring device and the registration it implies', () => {
  it('registers after sign-in when the browser rings, with a fresh secret each time', async () => {
    const { api, log } = fakeApi({ ring: 'browser' });
    const { control, uas } = setup(api);
    await control.begin(me('browser'));
    expect(log).toEqual(['GET softphone']); // ring_device came with /me
    expect(control.ring.get()).toBe('browser');
    expect(uas[0].credentials.password).toBe('secret-1');
    uas[0].emit('registered', {});
    expect(control.softphone.registered).toBe(true);
    let ended = false;
    const ending = control.end().then(() => (ended = true)); // sign-out
    expect(uas[0].stopped).toBe(1);
    expect(control.softphone.state.get().registration.state).toBe('unregistered');
    expect(control.ring.get()).toBeNull();
    await Promise.resolve();
    expect(ended).toBe(false); // waits until the user agent has closed its socket
    uas[0].emit('disconnected', {});
    await ending;
    await control.begin(me('browser')); // the next session
    expect(uas[1].credentials.password).toBe('secret-2');
  });

  it('asks /me/device when /me does not say, and stays unregistered for a SIP phone', async () => {
    const { api, log } = fakeApi({ ring: 'sip_phone' });
    const { control, uas } = setup(api);
    await control.begin(me());
    expect(log).toEqual(['GET device']);
    expect(control.ring.get()).toBe('sip_phone');
    expect(uas).toHaveLength(0);
  });

  it('hides the choice on a server without the routes (404)', async () => {
    const { api } = fakeApi({ missing: true });
    const { control, uas } = setup(api);
    await control.begin(me());
    expect(control.ring.get()).toBeNull();
    expect(uas).toHaveLength(0);
  });

  it('says the server has no browser phone when /me/softphone is 404', async () => {
    const { api } = fakeApi({ missing: true });
    const { control } = setup(api);
    await control.begin(me('browser'));
    expect(control.softphone.state.get().registration).toEqual({ state: 'failed', reason: 'unavailable' });
  });

  it('choosing the browser registers, choosing the SIP phone unregisters; each is confirmed', async () => {
    const { api, log } = fakeApi({ ring: 'sip_phone' });
    const { control, uas, notices } = setup(api);
    await control.begin(me('sip_phone'));
    expect(await control.choose('browser')).toBe(true);
    expect(log).toEqual(['PUT device browser', 'GET softphone']);
    expect(uas).toHaveLength(1);
    expect(notices.list.get().map((n) => n.text)).toEqual(['Звонки будут приходить в браузер']);
    expect(await control.choose('sip_phone')).toBe(true);
    expect(uas[0].stopped).toBe(1);
    expect(notices.list.get().map((n) => n.text)).toContain('Звонки будут приходить на SIP-телефон');
  });

  it('follows a change of my ring device seen on refetching /me (an administrator changed it)', async () => {
    const { api } = fakeApi({ ring: 'sip_phone' });
    const { control, uas } = setup(api);
    await control.sync('browser'); // not signed in: nothing
    expect(uas).toHaveLength(0);
    await control.begin(me('sip_phone'));
    await control.sync(undefined);
    await control.sync('sip_phone');
    expect(uas).toHaveLength(0);
    await control.sync('browser');
    expect(uas).toHaveLength(1);
    await control.sync('sip_phone');
    expect(uas[0].stopped).toBe(1);
  });

  it('a refused registration (stale secret) fetches a new secret, at most once a minute', async () => {
    const { api, log } = fakeApi({ ring: 'browser' });
    const { control, uas, advance } = setup(api);
    await control.begin(me('browser'));
    advance(61_000);
    uas[0].emit('registrationFailed', { cause: 'Authentication Error' });
    await settle();
    expect(uas).toHaveLength(2);
    expect(uas[1].credentials.password).toBe('secret-2');
    uas[1].emit('registrationFailed', { cause: 'Authentication Error' });
    await settle();
    expect(uas).toHaveLength(2); // not again right away
    expect(log.filter((l) => l === 'GET softphone')).toHaveLength(2);
  });

  it('reports each answered call once, and an outgoing call refused busy as a notice', async () => {
    const { api } = fakeApi({ ring: 'browser' });
    const { control, uas, talking, notices } = setup(api);
    await control.begin(me('browser'));
    uas[0].emit('registered', {});
    const session = new FakeSession('incoming', '74951112233');
    uas[0].incoming(session);
    await control.softphone.answer();
    session.emit('accepted', {});
    session.emit('confirmed', {});
    expect(talking.map((c) => c.remote)).toEqual(['74951112233']);
    session.end('ended', 'BYE');
    await control.softphone.dial('100');
    uas[0].calls[0].session.end('failed', 'Busy');
    expect(notices.list.get().map((n) => n.text)).toContain('Звонок не состоялся: номер занят');
  });
});

const call = (id: number, client_number: string, operator: number, state: Call['state'] = 'talking'): Call => ({
  id,
  client_number,
  direction: 'inbound',
  state,
  operator: { id: operator, name: 'x' },
  project: null,
  created_at: null,
  answered_at: null,
  ended_at: null,
  end_reason: null,
  monitored_by: null,
  has_recording: false,
});

describe('the call card of the softphone call', () => {
  it('matches numbers by digits, tolerating a country prefix', () => {
    expect(sameNumber('+7 (495) 111-22-33', '74951112233')).toBe(true);
    expect(sameNumber('84951112233', '+74951112233')).toBe(true);
    expect(sameNumber('101', '1101')).toBe(false);
    expect(sameNumber('', '')).toBe(false);
  });

  it('picks my unfinished call with that number, else my only unfinished call', () => {
    const calls = [call(1, '74950000001', 5, 'ended'), call(2, '74951112233', 5), call(3, '74959999999', 7)];
    expect(pickCurrentCall(calls, 5, '+74951112233')?.id).toBe(2);
    expect(pickCurrentCall(calls, 5, 'trunk')?.id).toBe(2); // the only one
    expect(pickCurrentCall([...calls, call(4, '74958888888', 5, 'ringing')], 5, 'trunk')).toBeNull(); // ambiguous
    expect(pickCurrentCall([call(2, '74951112233', 5), call(6, '74951112233', 5)], 5, '74951112233')?.id).toBe(6);
    expect(pickCurrentCall(calls, 9, '74951112233')).toBeNull();
  });
});

describe('small parts', () => {
  it('lists the audio outputs, numbering unnamed ones, without the default alias', () => {
    expect(
      speakerList([
        { kind: 'audioinput', deviceId: 'm', label: 'Mic' },
        { kind: 'audiooutput', deviceId: 'default', label: 'Default' },
        { kind: 'audiooutput', deviceId: 'a', label: 'Headset' },
        { kind: 'audiooutput', deviceId: 'b', label: '' },
      ]),
    ).toEqual([
      { id: 'a', label: 'Headset' },
      { id: 'b', label: '#2' },
    ]);
  });

  it('a join refused with browser_not_registered says what to do, in both languages', () => {
    expect(describeRefusal(t, 'browser_not_registered', 'no browser tab is registered')).toBe(
      'Телефон в браузере не подключён: откройте Суфлёр во вкладке браузера или выберите «SIP-телефон» в меню «Телефон»',
    );
    expect(describeRefusal((k, p) => translate('en', k, p), 'browser_not_registered', '')).toMatch(/^The browser phone is not connected/);
  });
});
