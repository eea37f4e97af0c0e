// «Тариф и возможности» (SPEC §7) rendered in a fake DOM and driven as a user does: «Подключить»
// opens the request form with the contact email, the request is sent with the address typed, the
// feature shows «Заявка отправлена» until connected, «Подключённые» → gear → «Отключить», and the
// page says when no mail server is configured.
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api/client';
import { plausibleEmail, TariffView } from '../src/views/TariffView';
import { feature, fakeApp, me, mount, type, user } from './view-fakes';

const NO_MAIL_RU = 'Почтовый сервер не настроен — письмо не будет отправлено';

describe('the request form', () => {
  it('opens on «Подключить» with the account’s contact email, editable, and sends the typed one', async () => {
    const { app, asApp, calls } = fakeApp();
    const page = await mount(asApp, h(TariffView, {}));
    expect(page.byTestId('feature-request-form')).toBeNull();
    const connect = page.byTestId('connect-whisper_listen')!;
    expect(connect.textContent).toBe('Подключить');

    await user(() => connect.dispatch('click'));
    const form = page.byTestId('feature-request-form')!;
    expect(form).not.toBeNull();
    expect(form.textContent).toContain('Суфлирование и прослушивание');
    const input = form.find((e) => e.localName === 'input' && e.getAttribute('name') === 'contact_email')!;
    expect(input.value).toBe('owner@example.com');
    expect(form.textContent).toContain('Информация о подключении поступит на этот адрес');
    expect(form.byTestId('form-mail-not-configured')).toBeNull();

    await user(() => type(input, '  ops@acme.test '));
    await user(() => form.find((e) => e.localName === 'form')!.dispatch('submit'));
    expect(calls).toContain('request whisper_listen ops@acme.test');
    expect(page.byTestId('feature-request-form')).toBeNull(); // closed once accepted

    // «Заявка отправлена» until connected, with the address the mail goes to.
    const button = page.byTestId('connect-whisper_listen')!;
    expect(button.textContent).toBe('Заявка отправлена');
    expect(button.disabled).toBe(true);
    expect(page.byTestId('requested-whisper_listen')!.textContent).toContain('ops@acme.test');

    // Another tab's request or the platform's connect arrives as an event: the page follows.
    await user(() => app.features.set([feature('connected')]));
    expect(page.byTestId('features-connected')!.textContent).toContain('Суфлирование и прослушивание');
    expect(page.byTestId('features-available')!.textContent).toBe('');
  });

  it('refuses an address that is not one, before sending anything', async () => {
    const { asApp, calls } = fakeApp();
    const page = await mount(asApp, h(TariffView, {}));
    await user(() => page.byTestId('connect-whisper_listen')!.dispatch('click'));
    const form = page.byTestId('feature-request-form')!;
    const input = form.find((e) => e.getAttribute('name') === 'contact_email')!;
    await user(() => type(input, 'boss-at-example'));
    await user(() => page.byTestId('feature-request-submit')!.dispatch('click'));
    await user(() => form.find((e) => e.localName === 'form')!.dispatch('submit'));
    expect(form.byTestId('contact-email-invalid')!.textContent).toContain('Укажите адрес электронной почты');
    expect(calls.filter((c) => c.startsWith('request'))).toEqual([]);
    expect(page.byTestId('feature-request-form')).not.toBeNull();
  });

  it('stays open when the server refuses the request (the refusal is a notification)', async () => {
    const { asApp, calls } = fakeApp({ accept: false });
    const page = await mount(asApp, h(TariffView, {}));
    await user(() => page.byTestId('connect-whisper_listen')!.dispatch('click'));
    await user(() => page.byTestId('feature-request-form')!.find((e) => e.localName === 'form')!.dispatch('submit'));
    expect(calls).toContain('request whisper_listen owner@example.com');
    expect(page.byTestId('feature-request-form')).not.toBeNull();
  });

  it('says so when no mail server is configured instead of promising a mail', async () => {
    const { asApp } = fakeApp({ mailConfigured: false, features: [feature('requested', { contact_email: 'ops@acme.test' })] });
    const page = await mount(asApp, h(TariffView, {}));
    expect(page.byTestId('mail-not-configured')!.textContent).toBe(NO_MAIL_RU);
    const requested = page.byTestId('requested-whisper_listen')!.textContent;
    expect(requested).toContain('Заявка отправлена');
    expect(requested).not.toContain('поступит');
  });

  it('speaks English when the user chose it', async () => {
    const { app, asApp } = fakeApp({ mailConfigured: false });
    app.i18n.setLocale('en');
    const page = await mount(asApp, h(TariffView, {}));
    expect(page.byTestId('mail-not-configured')!.textContent).toBe('No mail server is configured — no email will be sent');
    await user(() => page.byTestId('connect-whisper_listen')!.dispatch('click'));
    const form = page.byTestId('feature-request-form')!;
    expect(form.textContent).toContain('Whisper and listen');
    expect(form.byTestId('form-mail-not-configured')!.textContent).toContain('No mail server');
    expect(page.byTestId('feature-request-submit')!.textContent).toBe('Send the request');
  });
});

describe('«Подключённые»', () => {
  it('gear → «Отключить» disables the feature', async () => {
    const { asApp, calls } = fakeApp({ features: [feature('connected')], me: me() });
    const page = await mount(asApp, h(TariffView, {}));
    expect(page.textContent).toContain('Подключённые');
    await user(() => page.byTestId('gear-whisper_listen')!.dispatch('click'));
    const disable = page.byTestId('disable-whisper_listen')!;
    expect(disable.textContent).toBe('Отключить');
    await user(() => disable.dispatch('click'));
    expect(calls).toContain('disable whisper_listen');
  });
});

describe('plausibleEmail', () => {
  it('accepts addresses and refuses what is not one', () => {
    for (const ok of ['a@b.co', ' boss@example.com ', 'first.last+cc@mail.example.org']) expect(plausibleEmail(ok), ok).toBe(true);
    for (const bad of ['', 'a@b', '@b.co', 'a@@b.co', 'a b@c.co', 'a@b.', 'a@.co', 'nobody']) expect(plausibleEmail(bad), bad).toBe(false);
  });
});

describe('ApiClient.requestFeature', () => {
  it('sends the contact email in the body, or no body for the account’s address', async () => {
    const sent: { path: string; body: unknown }[] = [];
    const api = new ApiClient({
      token: () => 'tok',
      fetch: async (path, init) => {
        sent.push({ path, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
        return new Response(JSON.stringify(feature('requested')), { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });
    await api.requestFeature('whisper_listen', 'ops@acme.test');
    await api.requestFeature('whisper_listen');
    expect(sent).toEqual([
      { path: '/api/v1/features/whisper_listen/request', body: { contact_email: 'ops@acme.test' } },
      { path: '/api/v1/features/whisper_listen/request', body: undefined },
    ]);
  });
});
