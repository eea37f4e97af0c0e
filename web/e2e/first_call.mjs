// A newcomer's first monitored call, done only in the web app (issue 15's browser test, driven by
// tests/e2e/browser_first_call_test.cpp): from a fresh database the creator signs in, adds an
// operator (reading the one-time SIP password and the «Подключить телефон» panel), creates a
// project with her in it, adds the provider's trunk and its number, connects «Суфлирование и
// прослушивание», and — once the operator is on a call — listens to it from the Team page.
//
//   node e2e/first_call.mjs --url http://127.0.0.1:8080 --login admin --password secret \
//        --peer 127.0.0.2:5060 --source 127.0.0.2 --did 74950000001 [--shots DIR]
//
// Prints one line per milestone on stdout, for the C++ test to act on:
//   "operator <login> <sip password>", "connect <server> <transport> <user> <domain>",
//   "ready" (trunk, number and feature in place), "listening" (joined the operator's call),
//   "error <text>" (then exits 1). Waits for SIGTERM after "listening" and exits 0.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    login: { type: 'string' },
    password: { type: 'string' },
    peer: { type: 'string' },
    source: { type: 'string' },
    did: { type: 'string' },
    shots: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' },
  },
});
for (const key of ['url', 'login', 'password', 'peer', 'source', 'did'])
  if (!opts[key]) {
    console.error(`first_call: --${key} is required`);
    process.exit(2);
  }

const OPERATOR = { name: 'Анна Смирнова', login: 'anna' };
const PROJECT = 'Продажи';
const WAIT = { timeout: 20000 };

const browser = await chromium.launch({ executablePath: opts.chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
page.on('pageerror', (e) => console.error(`page error: ${e.message}`));

async function shot(name) {
  if (!opts.shots) return;
  mkdirSync(opts.shots, { recursive: true });
  await page.screenshot({ path: join(opts.shots, `${name}.png`), fullPage: true }).catch(() => {});
}

/** A page of the header: a nav button, or an item of the account menu. */
async function go(testId) {
  const target = page.locator(`[data-testid=${testId}]`);
  if (!(await target.isVisible())) await page.click('[data-testid=account-menu]');
  await target.click();
}

async function signIn() {
  await page.goto(opts.url + '/');
  await page.fill('input[name=login]', opts.login);
  await page.fill('input[name=password]', opts.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=account-menu]', WAIT);
}

async function addOperator() {
  await go('menu-team');
  await page.click('[data-testid=employee-add]');
  const form = page.locator('[data-testid=employee-form]');
  await form.locator('input[name=name]').fill(OPERATOR.name);
  await form.locator('input[name=login]').fill(OPERATOR.login);
  await form.locator('select[name=role]').selectOption('operator');
  await form.locator('[data-testid=employee-submit]').click();
  const secrets = page.locator('[data-testid=secrets]');
  await secrets.waitFor(WAIT);
  const sip = await secrets.locator('[data-testid=secret-sip-password]').textContent();
  if (!sip?.trim()) throw new Error('the secrets dialog shows no SIP password');
  console.log(`operator ${OPERATOR.login} ${sip.trim()}`);
  await shot('1-secrets');
  await secrets.locator('[data-testid=secrets-done]').click();
  await secrets.waitFor({ state: 'detached' });
}

async function readConnectPanel() {
  await page.click(`[data-testid=employee-connect-${OPERATOR.login}]`);
  const panel = page.locator('[data-testid=connect-phone]');
  await panel.waitFor(WAIT);
  const text = async (id) => (await panel.locator(`[data-testid=${id}]`).textContent()).trim();
  // "UDP 5060, TCP 5060": the first transport's name is what a softphone is set to.
  const transport = (await text('connect-transport')).split(' ')[0];
  console.log(`connect ${await text('connect-server')} ${transport} ${await text('connect-user')} ${await text('connect-domain')}`);
  await shot('2-connect-phone');
  await panel.getByRole('button', { name: 'Закрыть' }).first().click();
  await panel.waitFor({ state: 'detached' });
}

async function createProject() {
  await go('menu-projects');
  await page.click('[data-testid=project-add]');
  const form = page.locator('[data-testid=project-form]');
  await form.locator('input[name=name]').fill(PROJECT);
  await form.locator('[data-testid=project-submit]').click();
  const project = page.locator(`[data-testid="project-panel-${PROJECT}"]`);
  await project.waitFor(WAIT);
  await project.locator('[data-testid=project-operator-add]').selectOption({ label: `${OPERATOR.name} (${OPERATOR.login})` });
  await project.locator('[data-testid=project-operator-submit]').click();
  await project.locator(`[data-testid=project-operator-${OPERATOR.login}]`).waitFor(WAIT);
  await shot('3-project');
}

async function addTrunk() {
  await go('menu-trunks');
  await page.click('[data-testid=trunk-add]');
  const form = page.locator('[data-testid=trunk-form]');
  await form.locator('[name=name]').fill('Провайдер');
  await form.locator('[name=peer]').fill(opts.peer);
  await form.locator('[name=sources]').fill(opts.source);
  await form.locator('[data-testid=trunk-submit]').click();
  await form.waitFor({ state: 'detached' });
  await page.click('[data-testid=number-add]');
  await page.locator('[name=number]').fill(opts.did);
  await page.locator('select[name=project]').selectOption({ label: PROJECT });
  await page.click('[data-testid=number-submit]');
  await page.getByText(opts.did).first().waitFor(WAIT);
  await shot('4-trunk');
}

async function connectFeature() {
  await page.click('[data-testid=menu-balance]');
  await page.click('[data-testid=menu-tariff]');
  await page.click('[data-testid=connect-whisper_listen]');
  const form = page.locator('[data-testid=feature-request-form]');
  await form.waitFor(WAIT);
  await form.locator('[data-testid=feature-request-submit]').click();
  await page.locator('[data-testid=features-connected] [data-feature=whisper_listen]').waitFor(WAIT);
  await shot('5-feature');
}

async function listenWhenTalking() {
  await go('menu-team');
  const join = page.locator(`[data-testid=join-${OPERATOR.login}]`);
  await join.waitFor({ timeout: 90000 });
  await join.click();
  await page.locator('[data-testid=join-popup]').getByRole('button', { name: 'Прослушать' }).click();
  const card = page.locator('[data-testid=call-card]');
  await card.locator('[data-testid=session][data-phase=joined][data-mode=listen]').waitFor({ timeout: 30000 });
  await shot('6-listening');
  console.log('listening');
}

process.on('SIGTERM', async () => {
  await browser.close().catch(() => {});
  process.exit(0);
});

try {
  await signIn();
  await addOperator();
  await readConnectPanel();
  await createProject();
  await addTrunk();
  await connectFeature();
  console.log('ready');
  await listenWhenTalking();
} catch (e) {
  await shot('failed');
  console.log(`error ${e.message.split('\n')[0]}`);
  await browser.close().catch(() => {});
  process.exit(1);
}
