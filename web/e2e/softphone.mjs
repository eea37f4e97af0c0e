// End to end: the browser softphone (issue 14) in real headless Chromium (fake microphone) against
// the real `suflyor serve`. `npm run e2e:softphone` (builds first). Screenshots: test-artifacts/web/.
//
// The server listens for SIP over WebSocket on a free port ([sip] ws_listen); the page registers
// there with the per-session secret of /api/v1/me/softphone.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, freeTcpPort, stopAll, waitFor } from './harness.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(web, '..');
const binary = process.env.SUFLYOR_BINARY ?? join(source, 'build/suflyor');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(source, 'test-artifacts/web');

mkdirSync(artifacts, { recursive: true });
for (const [what, path] of [['server binary', binary], ['chromium', chromiumPath], ['built UI', join(web, 'dist/index.html')]])
  if (!existsSync(path)) {
    console.error(`e2e softphone: no ${what} at ${path}`);
    process.exit(2);
  }

let passed = 0;
let current = '';
let browser;
let server;
const pages = [];

async function step(name, body) {
  current = name;
  const started = Date.now();
  await body();
  passed++;
  console.log(`  ok ${passed} - ${name} (${Date.now() - started} ms)`);
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

async function signIn(login, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU', permissions: ['microphone'] });
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (e) => console.error(`  [${login}] page error: ${e.message}`));
  await page.goto(server.url + '/');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=account-menu]');
  return page;
}

async function main() {

  await step('server starts with SIP over WebSocket; a supervisor rings in the browser', async () => {
    server = new Server({ binary, staticDir: join(web, 'dist'), sourceDir: source, wsPort: await freeTcpPort() });
    await server.start();
    server.admin('user', 'create', '--account', '1', '--name', 'Anna', '--login', 'anna', '--role', 'administrator', '--password', 'password-anna', '--sip-password', 'anna-sip-secret');
    server.admin('user', 'create', '--account', '1', '--name', 'Olga', '--login', 'olga', '--role', 'operator', '--password', 'password-olga', '--sip-password', 'olga-sip-secret');
    server.admin('project', 'create', '--account', '1', '--name', 'Sales');
    server.admin('project', 'add-operator', '--account', '1', '--project', 'Sales', '--login', 'olga');
    const creator = await server.login('admin', 'creator-password');
    assert.equal((await server.api('POST', '/api/v1/features/whisper_listen/request', creator)).status, 200);
    const token = await server.login('anna', 'password-anna');
    const put = await server.api('PUT', '/api/v1/me/device', token, { ring: 'browser' });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.equal(put.json.ring, 'browser');
    const creds = await server.api('GET', '/api/v1/me/softphone', token);
    assert.equal(creds.status, 200, JSON.stringify(creds.json));
    assert.equal(creds.json.enabled, true, `softphone not enabled: ${creds.json.reason}`);
    assert.match(creds.json.ws_url, /^wss?:\/\//);
    assert.notEqual(creds.json.password, 'anna-sip-secret', 'the page must get a per-session secret, not the SIP password');
  });

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  let anna;

  await step('after sign-in the page registers by itself: the phone menu says «Телефон в браузере подключён»', async () => {
    anna = await signIn('anna', 'password-anna');
    const menu = anna.locator('[data-testid=phone-menu]');
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-ring'), 'browser');
    await anna.locator('[data-testid=phone-menu][data-registration=registered]').waitFor({ timeout: 15000 });
    await menu.click();
    const panel = anna.locator('[data-testid=phone-panel]');
    await panel.locator('[data-testid=phone-registration][data-state=registered]').getByText('Телефон в браузере подключён').waitFor();
    await panel.locator('[data-testid=mic-test]').click(); // the fake microphone's tone moves the meter
    await waitFor('the input level meter to move', async () => Number(await panel.locator('[data-testid=mic-level]').getAttribute('data-level')) > 0, 5000);
    await panel.locator('[data-testid=phone-mic][data-mic=granted]').waitFor();
    await shot(anna, 'softphone-01-registered');
  });

  let callId;
  await step('Team → time → «Прослушать»: the server\'s INVITE is answered in the page by itself', async () => {
    await server.phone('olga', 'olga-sip-secret', 'operator_answer_talk.xml', ['-d', '60000']);
    server.sipp('trunk_call_wait_bye.xml', { ip: '127.0.0.2', port: 0, extra: ['-s', '74950000001'] });
    const token = await server.login('anna', 'password-anna');
    callId = (await waitFor('a talking call', async () => (await server.api('GET', '/api/v1/calls?state=talking', token)).json.calls[0])).id;
    await anna.click('[data-testid=account-menu]');
    await anna.click('[data-testid=menu-team]');
    await anna.click('[data-testid=join-olga]');
    await anna.locator('[data-testid=join-popup]').getByRole('button', { name: 'Прослушать' }).click();
    await anna.waitForURL(`**/calls/${callId}`);
    const card = anna.locator('[data-testid=call-card]');
    await card.locator('[data-testid=session-audio]').waitFor({ timeout: 15000 });
    await card.locator('[data-testid=session][data-phase=joined]').waitFor({ timeout: 15000 });
    await anna.locator('[data-testid=phone-dock][data-phase=talking]').waitFor();
    await shot(anna, 'softphone-02-monitor-in-browser');
    await card.locator('[data-testid=disconnect]').click();
    await anna.locator('[data-testid=phone-dock]').waitFor({ state: 'detached', timeout: 15000 });
  });

  await step('choosing «SIP-телефон» unregisters the page; «Браузер» registers it again', async () => {
    await anna.click('[data-testid=phone-menu]');
    const panel = anna.locator('[data-testid=phone-panel]');
    await panel.locator('button[data-ring=sip_phone]').click();
    await anna.locator('[data-testid=phone-menu][data-registration=off]').waitFor();
    const token = await server.login('anna', 'password-anna');
    assert.equal((await server.api('GET', '/api/v1/me/device', token)).json.ring, 'sip_phone');
    await panel.locator('button[data-ring=browser]').click();
    await anna.locator('[data-testid=phone-menu][data-registration=registered]').waitFor({ timeout: 15000 });
    assert.equal((await server.api('GET', '/api/v1/me/device', token)).json.ring, 'browser');
  });

  await step('sign-out unregisters the page', async () => {
    await anna.click('[data-testid=account-menu]');
    await anna.click('[data-testid=sign-out]');
    await anna.locator('[data-testid=login-form]').waitFor();
    assert.equal(await anna.locator('[data-testid=phone-menu]').count(), 0);
  });

  await step('a join while no tab is registered is refused: browser_not_registered, said in Russian', async () => {
    const token = await server.login('anna', 'password-anna');
    const call = await waitFor('a talking call', async () => (await server.api('GET', '/api/v1/calls?state=talking', token)).json.calls[0]);
    const refused = await server.api('POST', `/api/v1/calls/${call.id}/monitor`, token, { mode: 'listen' });
    assert.equal(refused.status, 409, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'browser_not_registered');
    // A tab whose SIP WebSocket cannot connect: the join from the UI is refused with the reason.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    await context.routeWebSocket((url) => !url.pathname.startsWith('/api/v1/events'), (ws) => ws.close());
    const page = await context.newPage();
    pages.push(page);
    await page.goto(server.url + '/');
    await page.fill('input[name=login]', 'anna');
    await page.fill('input[name=password]', 'password-anna');
    await page.click('button[type=submit]');
    await page.locator('[data-testid=phone-menu][data-registration=failed]').waitFor({ timeout: 15000 });
    await page.click('[data-testid=join-olga]');
    await page.locator('[data-testid=join-popup]').getByRole('button', { name: 'Прослушать' }).click();
    const notice = page.locator('.notice.error').last();
    await notice.waitFor();
    assert.equal((await notice.innerText()).split('\n')[0], 'Телефон в браузере не подключён: откройте Суфлёр во вкладке браузера или выберите «SIP-телефон» в меню «Телефон»');
    await shot(page, 'softphone-03-not-registered');
  });
  return true;
}

let failed = false;
try {
  if (await main()) console.log(`e2e: ${passed} steps passed (softphone)`);
} catch (e) {
  failed = true;
  console.error(`e2e softphone: FAILED at "${current}": ${e.stack ?? e}`);
  for (const [i, page] of pages.entries()) await page.screenshot({ path: join(artifacts, `softphone-failure-${i}.png`) }).catch(() => {});
  if (server) console.error(`--- server log (tail)\n${server.log.split('\n').slice(-40).join('\n')}`);
} finally {
  await browser?.close().catch(() => {});
  await stopAll();
  await server?.stop();
}
process.exit(failed ? 1 : 0);
