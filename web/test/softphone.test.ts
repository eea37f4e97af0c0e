import { describe, expect, it } from 'vitest';
import { callFailure, describeRegistration } from '../src/softphone/describe';
import { PC_CONFIG, Softphone, monitorOf } from '../src/softphone/phone';
import { translate } from '../src/i18n';
import { FakeMedia, FakeSession, FakeUa, credentials, invite, settle } from './softphone-fakes';

function setup() {
  const uas: FakeUa[] = [];
  const media = new FakeMedia();
  let now = 1000;
  const phone = new Softphone(
    (c) => {
      const ua = new FakeUa(c);
      uas.push(ua);
      return ua;
    },
    media,
    () => now,
  );
  const ua = () => uas[uas.length - 1];
  const registered = () => {
    phone.start(credentials());
    ua().emit('connected');
    ua().emit('registered', {});
  };
  return { phone, uas, ua, media, registered, tick: (ms: number) => (now += ms) };
}

const t = (key: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('ru', key, p);

describe('Softphone registration', () => {
  it('goes registering → registered with the credentials of /me/softphone', () => {
    const { phone, ua } = setup();
    expect(phone.state.get().registration).toEqual({ state: 'unregistered' });
    phone.start(credentials());
    expect(ua().started).toBe(1);
    expect(ua().credentials.password).toBe('per-session-secret');
    expect(phone.state.get().registration.state).toBe('registering');
    ua().emit('connecting', {});
    ua().emit('connected', {});
    expect(phone.state.get().registration.state).toBe('registering');
    ua().emit('registered', {});
    expect(phone.state.get().registration).toEqual({ state: 'registered' });
    expect(phone.registered).toBe(true);
  });

  it('fails with JsSIP\'s cause, and comes back when the UA reconnects and registers', () => {
    const { phone, ua } = setup();
    phone.start(credentials());
    ua().emit('registrationFailed', { cause: 'Authentication Error' });
    expect(phone.state.get().registration).toEqual({ state: 'failed', reason: 'Authentication Error' });
    expect(describeRegistration(t, phone.state.get().registration)).toBe('Телефон в браузере не подключён: сервер не принял пароль, получаем новый');
    ua().emit('registered', {});
    ua().emit('disconnected', { error: true });
    expect(phone.state.get().registration).toEqual({ state: 'failed', reason: 'Connection Error' });
    ua().emit('connecting', {}); // a failed state is kept while reconnecting (no flicker)
    expect(phone.state.get().registration.state).toBe('failed');
    ua().emit('connected', {});
    expect(phone.state.get().registration.state).toBe('registering');
    ua().emit('registered', {});
    expect(phone.state.get().registration.state).toBe('registered');
    ua().emit('unregistered', {});
    expect(phone.state.get().registration.state).toBe('unregistered');
  });

  it('does not register when the server says the softphone is off, and says why', () => {
    const { phone, uas } = setup();
    phone.start(credentials({ enabled: false, reason: 'disabled' }));
    expect(uas).toHaveLength(0);
    expect(phone.state.get().registration).toEqual({ state: 'failed', reason: 'disabled' });
    expect(describeRegistration(t, phone.state.get().registration)).toBe('Телефон в браузере не подключён: телефон в браузере выключен на сервере');
    expect(describeRegistration(t, { state: 'failed', reason: 'Something New' })).toBe('Телефон в браузере не подключён: Something New');
  });

  it('stop() unregisters (UA stopped), and events of a stopped UA change nothing', () => {
    const { phone, ua, uas, registered } = setup();
    registered();
    const first = ua();
    phone.stop();
    expect(first.stopped).toBe(1);
    expect(phone.state.get().registration.state).toBe('unregistered');
    first.emit('registered', {});
    first.incoming(new FakeSession('incoming', '100'), { 'X-Suflyor-Monitor': '1' });
    expect(phone.state.get().registration.state).toBe('unregistered');
    expect(phone.state.get().call).toBeNull();
    phone.start(credentials()); // a new session: a new UA
    expect(uas).toHaveLength(2);
    expect(first.stopped).toBe(1);
  });

  it('a restart stops the previous UA first', () => {
    const { phone, uas, registered } = setup();
    registered();
    phone.start(credentials({ password: 'fresh' }));
    expect(uas[0].stopped).toBe(1);
    expect(uas[1].credentials.password).toBe('fresh');
  });
});

describe('Softphone calls', () => {
  it('answers the server\'s monitor INVITE by itself, audio only, no ICE servers, rtcp-mux required', async () => {
    const { phone, ua, media, registered, tick } = setup();
    registered();
    const session = new FakeSession('incoming', 'monitor', 'Suflyor');
    ua().incoming(session, { 'Call-Info': '<sip:127.0.0.1>;answer-after=0', 'X-Suflyor-Monitor': '42' });
    expect(phone.state.get().call).toMatchObject({ direction: 'in', phase: 'ringing-in', monitorId: '42', remote: 'monitor' });
    await settle();
    expect(session.answered).not.toBeNull();
    expect(session.answered!.mediaStream).toEqual({ tag: 'mic1' });
    expect(session.answered!.pcConfig).toEqual(PC_CONFIG);
    expect(PC_CONFIG).toEqual({ iceServers: [], rtcpMuxPolicy: 'require' }); // no max-bundle: the server offers no BUNDLE group
    expect(phone.local.get()).toEqual({ tag: 'mic1' });
    expect(phone.state.get().mic).toBe('granted');
    tick(500);
    session.emit('accepted', {});
    session.emit('confirmed', {});
    expect(phone.state.get().call).toMatchObject({ phase: 'talking', answeredAt: 1500 });
    session.end('ended', 'BYE');
    expect(phone.state.get().call).toMatchObject({ phase: 'ended', endCause: 'BYE', endedHere: false });
    expect(media.released).toEqual([{ tag: 'mic1' }]);
    expect(media.played.at(-1)).toBeNull();
    expect(phone.local.get()).toBeNull();
    expect(phone.busy).toBe(false);
  });

  it('recognises monitor INVITEs by X-Suflyor-Monitor or Call-Info answer-after=0 only', () => {
    expect(monitorOf(invite({ 'X-Suflyor-Monitor': ' 7 ' }))).toEqual({ autoAnswer: true, monitorId: '7' });
    expect(monitorOf(invite({ 'Call-Info': '<sip:s@h>; answer-after=0' }))).toEqual({ autoAnswer: true, monitorId: null });
    expect(monitorOf(invite({ 'Call-Info': '<sip:s@h>;answer-after=10' }))).toEqual({ autoAnswer: false, monitorId: null });
    expect(monitorOf(invite({ 'Call-Info': '<sip:s@h>;purpose=icon' }))).toEqual({ autoAnswer: false, monitorId: null });
    expect(monitorOf(invite())).toEqual({ autoAnswer: false, monitorId: null });
  });

  it('without a microphone the monitor call is answered with silence (listening needs none)', async () => {
    const { phone, ua, media, registered } = setup();
    registered();
    media.micError = { name: 'NotAllowedError' };
    const session = new FakeSession('incoming', 'monitor');
    ua().incoming(session, { 'X-Suflyor-Monitor': '3' });
    await settle();
    expect(session.answered!.mediaStream).toEqual({ tag: 'silence' });
    expect(phone.state.get()).toMatchObject({ mic: 'denied', silent: true });
  });

  it('rings an ordinary INVITE until answered; answer() answers it', async () => {
    const { phone, ua, registered } = setup();
    registered();
    const session = new FakeSession('incoming', '74951112233', 'Client');
    ua().incoming(session);
    await settle();
    expect(session.answered).toBeNull();
    expect(phone.state.get().call).toMatchObject({ phase: 'ringing-in', monitorId: null, remote: '74951112233', remoteName: 'Client' });
    await phone.answer();
    expect(session.answered!.pcConfig).toEqual(PC_CONFIG);
    session.emit('confirmed', {});
    expect(phone.state.get().call!.phase).toBe('talking');
  });

  it('rings for an incoming call, not for a monitor call; ringback while calling out', async () => {
    const { phone, ua, media, registered } = setup();
    registered();
    const monitor = new FakeSession('incoming', 'monitor');
    ua().incoming(monitor, { 'X-Suflyor-Monitor': '1' });
    await settle();
    monitor.emit('confirmed', {});
    monitor.end('ended', 'BYE');
    expect(media.tones).toEqual([]);
    const call = new FakeSession('incoming', '100');
    ua().incoming(call);
    expect(media.tones).toEqual(['ring']);
    await phone.answer();
    call.emit('accepted', {});
    expect(media.tones).toEqual(['ring', null]);
    call.end('ended', 'BYE');
    await phone.dial('200');
    expect(media.tones).toEqual(['ring', null, 'ringback']);
    ua().calls[0].session.end('failed', 'Busy');
    expect(media.tones).toEqual(['ring', null, 'ringback', null]);
  });

  it('declines with 603 and remembers it was declined here', () => {
    const { phone, ua, registered } = setup();
    registered();
    const session = new FakeSession('incoming', '100');
    ua().incoming(session);
    phone.decline();
    expect(session.terminated).toEqual({ status_code: 603, reason_phrase: 'Decline' });
    expect(phone.state.get().call).toMatchObject({ phase: 'ended', endedHere: true });
  });

  it('refuses a second INVITE with 486 while a call is ringing or in progress', () => {
    const { phone, ua, registered } = setup();
    registered();
    const first = new FakeSession('incoming', '100');
    const second = new FakeSession('incoming', '200');
    ua().incoming(first);
    ua().incoming(second, { 'X-Suflyor-Monitor': '9' });
    expect(second.terminated).toEqual({ status_code: 486, reason_phrase: 'Busy Here' });
    expect(phone.state.get().call!.remote).toBe('100');
  });

  it('dials sip:<number>@<realm> once registered; DTMF as RFC 4733 while talking; mute', async () => {
    const { phone, ua, registered } = setup();
    expect(await phone.dial('123')).toBe(false); // not started
    registered();
    expect(await phone.dial('')).toBe(false);
    expect(await phone.dial('abc')).toBe(false);
    const placed = phone.dial('+7 (495) 111-22-33');
    expect(phone.state.get().call).toMatchObject({ direction: 'out', phase: 'ringing-out' });
    expect(await placed).toBe(true);
    const { target, options, session } = ua().calls[0];
    expect(target).toBe('sip:+74951112233@example.com');
    expect(options.pcConfig).toEqual(PC_CONFIG);
    expect(options.mediaStream).toEqual({ tag: 'mic1' });
    expect(await phone.dial('456')).toBe(false); // busy
    expect(phone.sendDtmf('5')).toBe(false); // not talking yet
    session.emit('progress', {});
    session.emit('accepted', {});
    expect(phone.state.get().call!.phase).toBe('talking');
    expect(phone.sendDtmf('5')).toBe(true);
    expect(phone.sendDtmf('#')).toBe(true);
    expect(phone.sendDtmf('x')).toBe(false);
    expect(session.dtmf).toEqual([
      { tones: '5', options: { transportType: 'RFC2833', duration: 100, interToneGap: 70 } },
      { tones: '#', options: { transportType: 'RFC2833', duration: 100, interToneGap: 70 } },
    ]);
    phone.setMuted(true);
    expect(phone.state.get().muted).toBe(true);
    phone.setMuted(false);
    expect(session.muteCalls).toEqual(['mute:true', 'unmute:true']);
    expect(phone.state.get().muted).toBe(false);
    phone.hangUp();
    expect(session.terminated).toEqual({});
    expect(phone.state.get().call).toMatchObject({ phase: 'ended', endedHere: true });
    expect(callFailure(phone.state.get().call!)).toBeNull();
  });

  it('sends no DTMF while the media transport cannot carry it (canInsertDTMF false)', async () => {
    const { phone, ua, registered } = setup();
    registered();
    await phone.dial('100');
    const { session } = ua().calls[0];
    session.emit('accepted', {});
    const dtmf = { canInsertDTMF: false };
    session.connection = { getSenders: () => [{ track: { kind: 'audio' }, dtmf }] } as unknown as RTCPeerConnection;
    expect(phone.sendDtmf('1')).toBe(false);
    dtmf.canInsertDTMF = true;
    expect(phone.sendDtmf('1')).toBe(true);
    expect(session.dtmf.map((d) => d.tones)).toEqual(['1']);
  });

  it('an outgoing call refused busy is reported as busy; a cancelled one is not a failure', async () => {
    const { phone, ua, registered } = setup();
    registered();
    await phone.dial('100');
    ua().calls[0].session.end('failed', 'Busy');
    expect(callFailure(phone.state.get().call!)).toBe('placed.callee_busy');
    await phone.dial('200');
    phone.hangUp(); // cancel while ringing out
    expect(phone.state.get().call).toMatchObject({ phase: 'ended', endedHere: true });
    expect(callFailure(phone.state.get().call!)).toBeNull();
  });

  it('hanging up while the microphone is being opened places no call', async () => {
    const { phone, ua, media, registered } = setup();
    registered();
    const placed = phone.dial('100');
    phone.hangUp();
    expect(await placed).toBe(false);
    expect(ua().calls).toHaveLength(0);
    expect(phone.state.get().call).toMatchObject({ phase: 'ended', endCause: 'Canceled' });
    expect(media.released).toContainEqual({ tag: 'mic1' });
  });

  it('a late event of an earlier call does not touch the current one', async () => {
    const { phone, ua, registered } = setup();
    registered();
    const old = new FakeSession('incoming', '100');
    ua().incoming(old);
    phone.decline();
    const current = new FakeSession('incoming', '200');
    ua().incoming(current);
    old.emit('confirmed', {});
    old.emit('ended', { cause: 'BYE', originator: 'remote' });
    expect(phone.state.get().call).toMatchObject({ remote: '200', phase: 'ringing-in' });
  });

  it('stop() during a call hangs it up before unregistering', async () => {
    const { phone, ua, registered } = setup();
    registered();
    const session = new FakeSession('incoming', 'monitor');
    ua().incoming(session, { 'X-Suflyor-Monitor': '5' });
    await settle();
    session.emit('confirmed', {});
    phone.stop();
    expect(session.terminated).toEqual({});
    expect(phone.state.get().call!.phase).toBe('ended');
    expect(phone.state.get().registration.state).toBe('unregistered');
  });

  it('the microphone test opens the microphone while idle and closes before a call', async () => {
    const { phone, ua, media, registered } = setup();
    registered();
    expect(await phone.openMicTest()).toBe(true);
    expect(phone.local.get()).toEqual({ tag: 'mic1' });
    ua().incoming(new FakeSession('incoming', '100'));
    expect(media.released).toEqual([{ tag: 'mic1' }]);
    expect(phone.local.get()).toBeNull();
    media.micError = { name: 'NotAllowedError' };
    phone.decline();
    expect(await phone.openMicTest()).toBe(false);
    expect(phone.state.get().mic).toBe('denied');
  });

  it('reads the microphone permission', async () => {
    const { phone, media } = setup();
    media.permissionState = 'granted';
    await phone.refreshPermission();
    expect(phone.state.get().mic).toBe('granted');
  });
});
