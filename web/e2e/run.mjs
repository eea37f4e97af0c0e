// End to end: the built UI in real headless Chromium against the real `suflyor serve`, with a real
// client↔operator call placed by sipp. One command: `npm run e2e` (builds first). Screenshots go
// to test-artifacts/web/. Exits non-zero on the first failed step, after cleaning up.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, stopAll, waitFor } from './harness.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(web, '..');
const binary = process.env.SUFLYOR_BINARY ?? join(source, 'build/suflyor');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(source, 'test-artifacts/web');
const TALK_MS = 25000;

rmSync(artifacts, { recursive: true, force: true }); // only this run's pictures
mkdirSync(artifacts, { recursive: true });
for (const [what, path] of [['server binary', binary], ['chromium', chromiumPath], ['built UI', join(web, 'dist/index.html')]])
  if (!existsSync(path)) {
    console.error(`e2e: no ${what} at ${path}`);
    process.exit(2);
  }

const server = new Server({ binary, staticDir: join(web, 'dist'), sourceDir: source });
let browser;
let passed = 0;
let current = '';
const pages = [];
/** The event frames each page's WebSocket received (what its app has been told). */
const received = new Map();

async function step(name, body) {
  current = name;
  const started = Date.now();
  await body();
  passed++;
  console.log(`  ok ${passed} - ${name} (${Date.now() - started} ms)`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function signIn(login, password) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (e) => console.error(`  [${login}] page error: ${e.message}`));
  received.set(page, []);
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.get(page).push(String(frame.payload))));
  await page.goto(server.url + '/');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=account-menu]');
  return page;
}

/** Waits until the page's socket received an event of `type`, then until the page has run it. */
async function eventHandled(page, type) {
  await waitFor(`${type} on the page's socket`, () => received.get(page).some((f) => f.includes(`"type":"${type}"`)), 15000);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0))); // the message task ran before this one
}

/** The text of the newest error notification. */
async function errorNotice(page) {
  const notice = page.locator('.notice.error').last();
  await notice.waitFor({ timeout: 10000 });
  return notice.innerText();
}

async function main() {
  await step('server starts with the UI as static_dir, accounts and projects set up', async () => {
    await server.start();
    server.admin('user', 'create', '--account', '1', '--name', 'Anna', '--login', 'anna', '--role', 'administrator', '--password', 'password-anna', '--sip-password', 'anna-sip-secret');
    server.admin('user', 'create', '--account', '1', '--name', 'Olga', '--login', 'olga', '--role', 'operator', '--password', 'password-olga', '--sip-password', 'olga-sip-secret');
    server.admin('project', 'create', '--account', '1', '--name', 'Sales');
    server.admin('project', 'add-operator', '--account', '1', '--project', 'Sales', '--login', 'olga');
    server.admin('project', 'set-results', '--account', '1', '--project', 'Sales', '--result', 'Sold', '--result', 'Call back');
    const spa = await fetch(`${server.url}/team`);
    assert.equal(spa.status, 200);
    assert.match(await spa.text(), /<div id="app">/);
  });

  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const token = await server.login('admin', 'creator-password');
  let admin, anna, olga, callId, clientNumber, device, clientCall, olgaPhone;

  await step('a wrong password is refused with a clear message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await page.fill('input[name=login]', 'admin');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]').getByText('Неверный логин или пароль').waitFor();
    await shot(page, '01-login-refused');
    await context.close();
  });

  await step('the creator signs in (Russian by default) and connects whisper and listen', async () => {
    admin = await signIn('admin', 'creator-password');
    await admin.locator('[data-testid=account-menu]').getByText('My call center').waitFor();
    await admin.click('[data-testid=menu-balance]');
    await admin.click('[data-testid=menu-tariff]');
    await admin.locator('h1', { hasText: 'Тариф и возможности' }).waitFor();
    await shot(admin, '02-tariff-available');
    // No [smtp] url in the test config: the page says no mail will be sent.
    await admin.locator('[data-testid=mail-not-configured]').getByText('Почтовый сервер не настроен — письмо не будет отправлено').waitFor();
    await admin.click('[data-testid=connect-whisper_listen]');
    // «Подключить» opens the request form with the account's contact email, editable.
    const form = admin.locator('[data-testid=feature-request-form]');
    const email = form.locator('input[name=contact_email]');
    assert.equal(await email.inputValue(), 'owner@example.com');
    await email.fill('ops@example.com');
    await shot(admin, '02b-tariff-request-form');
    await admin.click('[data-testid=feature-request-submit]');
    // A single-account server connects at once (auto_connect = "single-account").
    await admin.locator('[data-testid=features-connected] [data-feature=whisper_listen]').waitFor();
    await shot(admin, '03-tariff-connected');
    assert.equal((await server.api('GET', '/api/v1/me', token)).json.may_monitor, true);
    assert.equal((await server.api('GET', '/api/v1/features', token)).json.features[0].contact_email, 'ops@example.com');
  });

  await step('a client calls, the operator answers; Team shows her talking with a ticking time', async () => {
    device = await server.phone('admin', 'creator-sip-password', 'device_autoanswer.xml');
    olgaPhone = await server.phone('olga', 'olga-sip-secret', 'operator_answer_talk.xml', ['-d', String(TALK_MS)]);
    clientCall = server.sipp('trunk_call_wait_bye.xml', { ip: '127.0.0.2', port: 0, extra: ['-s', '74950000001'] });
    const call = await waitFor('a talking call', async () => (await server.api('GET', '/api/v1/calls?state=talking', token)).json.calls[0]);
    [callId, clientNumber] = [call.id, call.client_number];
    await admin.click('[data-testid=account-menu]');
    await admin.click('[data-testid=menu-team]');
    const row = admin.locator('tr[data-employee=olga]');
    await row.locator('.status-talking').waitFor(); // pushed by presence.changed
    const time = row.locator('[data-testid=join-olga]');
    const first = await time.innerText();
    await admin.waitForFunction((t) => document.querySelector('[data-testid=join-olga]')?.textContent !== t, first, { timeout: 3000 });
    assert.match(await time.innerText(), /^\d+:\d\d$/);
    await shot(admin, '04-team-talking');
  });

  await step('Projects → Sales → Project state lists the operator and her time in call', async () => {
    await admin.click('[data-testid=menu-projects]');
    await admin.click('[data-testid=project-Sales]');
    const popup = admin.locator('[data-testid=project-state]');
    await popup.getByText('Состояние проекта: Sales').waitFor();
    await popup.locator('[data-testid=call-time-olga]').waitFor();
    await shot(admin, '05-project-state');
    await popup.getByRole('button', { name: 'Закрыть' }).click();
  });

  await step('Team → time → «Прослушать»: the card opens and the server rings the supervisor\'s phone', async () => {
    await admin.click('[data-testid=account-menu]');
    await admin.click('[data-testid=menu-team]');
    await admin.click('[data-testid=join-olga]');
    const popup = admin.locator('[data-testid=join-popup]');
    await popup.getByRole('button', { name: 'Суфлировать' }).waitFor();
    await popup.getByRole('button', { name: 'Вмешаться' }).waitFor(); // barge_enabled
    await shot(admin, '06-join-popup');
    await popup.getByRole('button', { name: 'Прослушать' }).click();
    await admin.waitForURL(`**/calls/${callId}`);
    const card = admin.locator('[data-testid=call-card]');
    await card.locator('[data-testid=card-client]').getByText(clientNumber).waitFor();
    // The phone auto-answers: monitor.switched {state: joined} arrives over the socket.
    await card.locator('[data-testid=session][data-phase=joined][data-mode=listen]').waitFor({ timeout: 15000 });
    await card.getByText('Вы подключены к разговору').waitFor();
    // «Звоним на ваш телефон» is over once the phone answered: it goes at once, joined is said.
    await admin.locator('.notice', { hasText: 'Звоним на ваш телефон' }).waitFor({ state: 'detached', timeout: 2000 });
    await admin.locator('.notice.success').getByText('Вы подключены к разговору: Прослушивание').waitFor({ timeout: 2000 });
    await shot(admin, '07-card-listening');
  });

  await step('a second administrator is told the call is already joined by Owner', async () => {
    anna = await signIn('anna', 'password-anna');
    await anna.click('[data-testid=menu-projects]');
    await anna.click('[data-testid=project-Sales]');
    await anna.click('[data-testid=call-time-olga]');
    await anna.locator('[data-testid=join-popup]').getByRole('button', { name: 'Суфлировать' }).click();
    const text = await errorNotice(anna);
    assert.equal(text.split('\n')[0], 'К разговору уже подключён другой сотрудник: Owner');
    // The refusal's monitor.refused event reached the page too: still one notice, all in Russian.
    await eventHandled(anna, 'monitor.refused');
    const errors = await anna.locator('.notice.error').allInnerTexts();
    assert.deepEqual(errors.map((t) => t.split('\n')[0]), ['К разговору уже подключён другой сотрудник: Owner']);
    await shot(anna, '08-already-monitored');
  });

  await step('the supervisor switches to whisper and comments during the call', async () => {
    const card = admin.locator('[data-testid=call-card]');
    await card.locator('[data-testid=session] button[data-mode=whisper]').click();
    await card.locator('[data-testid=session][data-mode=whisper]').waitFor();
    await admin.fill('[data-testid=comment-input]', 'Хорошее приветствие');
    await card.getByRole('button', { name: 'Добавить' }).click();
    await card.locator('[data-testid=comments]').getByText('Хорошее приветствие').waitFor();
    const comments = (await server.api('GET', `/api/v1/calls/${callId}/comments`, token)).json.comments;
    assert.deepEqual(comments.map((c) => c.text), ['Хорошее приветствие']);
  });

  await step('«Отключиться»: the phone is released, the card stays with its actions, and is saved', async () => {
    const card = admin.locator('[data-testid=call-card]');
    await card.locator('[data-testid=disconnect]').click();
    await card.locator('[data-testid=after-actions]').waitFor();
    assert.equal(await Promise.race([device.exited, new Promise((r) => setTimeout(() => r('timeout'), 15000))]), 0, device.output);
    for (const id of ['rejoin', 'call-employee', 'call-client', 'save']) await card.locator(`[data-testid=${id}]`).waitFor();
    await card.locator('[data-testid=save]').click();
    await card.locator('[data-testid=save][aria-pressed=true]').waitFor();
    await shot(admin, '09-card-after-disconnect');
    assert.equal((await server.api('GET', `/api/v1/monitor/${(await server.api('GET', `/api/v1/calls/${callId}`, token)).json.monitor_sessions[0].session_id}`, token)).json.end_reason, 'supervisor_left');
  });

  await step('«Позвонить сотруднику» while she talks to the client: refused, she is busy; nobody is rung', async () => {
    await admin.locator('[data-testid=call-employee]').click();
    assert.equal((await errorNotice(admin)).split('\n')[0], 'Сотрудник занят: он сейчас на другом звонке');
    assert.doesNotMatch(server.log, /\(internal\) originated for admin/);
    await shot(admin, '09b-call-employee-busy');
  });

  await step('when the call ends the card shows it live, and the recording downloads', async () => {
    assert.equal(await clientCall.exited, 0, clientCall.output);
    assert.equal(await olgaPhone.exited, 0, olgaPhone.output);
    const card = admin.locator('[data-testid=call-card]');
    await card.locator('[data-testid=card-state]').getByText('Завершён').waitFor({ timeout: 15000 });
    await card.locator('[data-testid=download]').waitFor({ timeout: 15000 });
    const [download] = await Promise.all([admin.waitForEvent('download'), card.locator('[data-testid=download]').click()]);
    assert.equal(download.suggestedFilename(), `call-${callId}.wav`);
    const file = join(artifacts, download.suggestedFilename());
    await download.saveAs(file);
    const wav = readFileSync(file);
    assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
    assert.equal(wav.subarray(8, 12).toString(), 'WAVE'); // sipp sends no RTP: the header is what is certain
    const served = await fetch(`${server.url}/api/v1/calls/${callId}/recording`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(Buffer.compare(Buffer.from(await served.arrayBuffer()), wav), 0);
    await shot(admin, '10-card-ended');
  });

  await step('«Сохранённые звонки» lists the saved card; it opens the card', async () => {
    await admin.click('[data-testid=menu-saved]');
    const row = admin.locator(`[data-testid=saved-calls] tr[data-call="${callId}"]`);
    await row.waitFor();
    await shot(admin, '11-saved-calls');
    await row.click();
    await admin.locator('[data-testid=call-card]').waitFor();
  });

  await step('the operator sees no monitoring controls and records the processing result', async () => {
    olga = await signIn('olga', 'password-olga');
    await olga.locator('[data-testid=operator-home]').waitFor();
    assert.equal(await olga.locator('[data-testid=menu-projects], [data-testid=menu-balance], .time-button').count(), 0);
    await olga.click('[data-testid=account-menu]');
    assert.equal(await olga.locator('[data-testid=menu-team]').count(), 0);
    await olga.click('[data-testid=account-menu]');
    await shot(olga, '12-operator-home');
    await olga.locator(`[data-testid=my-calls] tr[data-call="${callId}"]`).click();
    const card = olga.locator('[data-testid=call-card]');
    await card.locator('[data-testid=result-choice]').selectOption({ label: 'Call back' });
    await card.locator('.result-form input').fill('Завтра в 10:00');
    await card.getByRole('button', { name: 'Сохранить результат' }).click();
    await card.locator('[data-testid=result] strong').getByText('Call back').waitFor();
    assert.equal(await card.locator('[data-testid=rejoin], [data-testid=call-client], [data-testid=session]').count(), 0);
    await shot(olga, '13-operator-result');
  });

  await step('the supervisor\'s open card shows the result live (card.result), without a reload', async () => {
    const result = admin.locator(`[data-testid=call-card] [data-testid=result]`);
    await result.locator('strong').getByText('Call back').waitFor();
    await result.getByText('Завтра в 10:00').waitFor();
  });

  await step('re-join while the employee is idle waits for her next call, and the wait can be cancelled', async () => {
    const card = admin.locator('[data-testid=call-card]');
    await card.locator('[data-testid=rejoin]').click();
    await admin.locator('.notice.info').getByText('Подключимся к следующему разговору сотрудника, как только он ответит').waitFor();
    await card.locator('[data-testid=cancel-rejoin]').click();
    await card.locator('[data-testid=rejoin]').waitFor();
    await waitFor('the cancelled follow', () => /event monitor\.follow_cancelled/.test(server.log), 5000);
  });

  await step('Tariff: gear → barge is forbidden and allowed again for the account', async () => {
    await admin.click('[data-testid=menu-balance]');
    await admin.click('[data-testid=menu-tariff]');
    const me = async () =>
      (await (await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).json()).account.barge_enabled;
    await admin.click('[data-testid=gear-whisper_listen]');
    await admin.locator('[data-testid=toggle-barge]').getByText('Запретить вмешательство в разговор').click();
    await admin.locator('.notice.success').getByText('Вмешательство в разговор выключено').waitFor();
    assert.equal(await me(), false);
    await admin.click('[data-testid=gear-whisper_listen]');
    await admin.locator('[data-testid=toggle-barge]').getByText('Разрешить вмешательство в разговор').click();
    await admin.locator('.notice.success').getByText('Вмешательство в разговор включено').waitFor();
    assert.equal(await me(), true);
  });

  await step('Tariff: gear → «Отключить» moves the feature back; joining is then refused with the reason', async () => {
    await admin.click('[data-testid=menu-balance]');
    await admin.click('[data-testid=menu-tariff]');
    await admin.click('[data-testid=gear-whisper_listen]');
    await shot(admin, '14-tariff-gear');
    await admin.click('[data-testid=disable-whisper_listen]');
    await admin.locator('[data-testid=features-available] [data-feature=whisper_listen]').waitFor();
    // anna's page follows by WebSocket (feature.disabled), no reload.
    await anna.click('[data-testid=menu-balance]');
    await anna.click('[data-testid=menu-tariff]');
    await anna.locator('[data-testid=features-available] [data-feature=whisper_listen]').waitFor();
    await shot(admin, '15-tariff-disabled');
    // Re-joining from the card is now refused, and the notification says why.
    await admin.click('[data-testid=menu-saved]');
    await admin.locator(`[data-testid=saved-calls] tr[data-call="${callId}"]`).click();
    await admin.locator('[data-testid=rejoin]').click();
    assert.equal((await errorNotice(admin)).split('\n')[0], 'Суфлирование и прослушивание не подключено: «Баланс» → «Тариф и возможности»');
    await shot(admin, '16-rejoin-refused');
  });

  await step('the language switches to English and stays after a reload; sign-out returns to login', async () => {
    await admin.click('[data-testid=language]');
    await admin.locator('h1', { hasText: 'Call card' }).waitFor();
    await admin.reload();
    await admin.locator('h1', { hasText: 'Call card' }).waitFor();
    await admin.locator('[data-testid=after-actions]').getByText('Download the recording').waitFor();
    await shot(admin, '17-english');
    await admin.click('[data-testid=account-menu]');
    await admin.click('[data-testid=sign-out]');
    await admin.locator('[data-testid=login-form]').waitFor();
  });
}

let failed = false;
try {
  await main();
  console.log(`e2e: ${passed} steps passed`);
} catch (e) {
  failed = true;
  console.error(`e2e: FAILED at "${current}": ${e.stack ?? e}`);
  for (const [i, page] of pages.entries()) await page.screenshot({ path: join(artifacts, `failure-${i}.png`) }).catch(() => {});
  console.error(`--- server log (tail)\n${server.log.split('\n').slice(-40).join('\n')}`);
} finally {
  await browser?.close().catch(() => {});
  await stopAll();
  await server.stop();
}
process.exit(failed ? 1 : 0);
