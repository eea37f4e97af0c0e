// The real server and real SIP phones for the browser test: a temp config, `suflyor serve`,
// `suflyor admin`, and sipp processes. Every process started here is killed by stopAll().
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set();

export function track(child, name) {
  child.name = name;
  child.exitCode_ = null;
  child.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      child.exitCode_ = code ?? (signal ? 128 : 1);
      resolve(child.exitCode_);
    }),
  );
  children.add(child);
  return child;
}

export async function stopAll() {
  const running = [...children];
  for (const c of running) c.kill('SIGTERM');
  const deadline = new Promise((r) => setTimeout(r, 5000));
  await Promise.race([Promise.all(running.map((c) => c.exited)), deadline]);
  for (const c of children) c.kill('SIGKILL');
}

export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether something listens on the UDP port (binding it fails). */
export function udpPortTaken(port) {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.on('error', () => resolve(true));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

export async function waitFor(what, check, timeoutMs = 20000, stepMs = 100) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export class Server {
  /** `wsPort`: SIP over WebSocket for the browser softphone on this TCP port ([sip] ws_listen). */
  constructor({ binary, staticDir, sourceDir, wsPort = 0 }) {
    this.binary = binary;
    this.sourceDir = sourceDir;
    this.dir = mkdtempSync(join(tmpdir(), 'suflyor-web-e2e-'));
    this.config = join(this.dir, 'suflyor.toml');
    writeFileSync(
      this.config,
      [
        '[storage]',
        `path = "${join(this.dir, 'suflyor.db')}"`,
        '[security]',
        'password_cost = "minimal"',
        '[bootstrap]',
        'creator_password = "creator-password"',
        'creator_sip_password = "creator-sip-password"',
        'sip_domain = "127.0.0.1"',
        '[media]',
        `recording_dir = "${join(this.dir, 'recordings')}"`,
        '[http]',
        'listen = "127.0.0.1:0"',
        `static_dir = "${staticDir}"`,
        '[sip]',
        'listen = "127.0.0.1:0"',
        'transports = ["udp"]',
        ...(wsPort ? [`ws_listen = "127.0.0.1:${wsPort}"`] : []),
        '[[trunks]]',
        'name = "provider"',
        'peer = "127.0.0.2:5060"',
        'sources = ["127.0.0.2"]',
        '[trunks.dids]',
        '"74950000001" = "Sales"',
        '',
      ].join('\n'),
    );
    this.log = '';
  }

  async start() {
    const child = track(spawn(this.binary, ['--config', this.config, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] }), 'suflyor');
    this.process = child;
    child.stdout.on('data', (d) => (this.log += d));
    child.stderr.on('data', (d) => (this.log += d));
    await waitFor('the server to start', () => {
      if (child.exitCode_ !== null) throw new Error(`suflyor exited ${child.exitCode_}:\n${this.log}`);
      return this.log.includes('control loop running');
    }, 60000);
    this.httpPort = Number(/http: listening on 127\.0\.0\.1:(\d+)/.exec(this.log)[1]);
    this.sipPort = Number(/sip: listening on udp 127\.0\.0\.1:(\d+)/.exec(this.log)[1]);
    this.url = `http://127.0.0.1:${this.httpPort}`;
  }

  admin(...args) {
    const r = spawnSync(this.binary, ['--config', this.config, 'admin', ...args], { encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0) throw new Error(`suflyor admin ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  async api(method, path, token, body) {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const reply = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await reply.text();
    return { status: reply.status, json: text ? JSON.parse(text) : null };
  }

  async login(login, password) {
    const r = await this.api('POST', '/api/v1/auth/login', null, { login, password });
    if (r.status !== 200) throw new Error(`login ${login}: ${r.status}`);
    return r.json.token;
  }

  /** sipp as in tests/e2e/support/server.cpp sipp_command; `remote` false for a phone (UAS). */
  sipp(scenario, { extra = [], ip = '127.0.0.1', port, remote = true, timeout = '90s' }) {
    const work = mkdtempSync(join(this.dir, 'sipp-'));
    mkdirSync(work, { recursive: true });
    const argv = ['-sf', join(this.sourceDir, 'tests/e2e/sipp', scenario), '-m', '1', '-i', ip, '-p', String(port), '-timeout', timeout, '-timeout_error', '-nostdin', '-trace_err', ...extra];
    if (remote) argv.push(`127.0.0.1:${this.sipPort}`);
    const child = track(spawn('/usr/bin/sipp', argv, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] }), `sipp ${scenario}`);
    child.output = '';
    child.stdout.on('data', (d) => (child.output += d));
    child.stderr.on('data', (d) => (child.output += d));
    return child;
  }

  /** Registers `user`'s phone on `port`, then leaves `scenario` answering on that port. */
  async phone(user, secret, scenario, extra = []) {
    const port = await freeUdpPort();
    const reg = this.sipp('register_stay.xml', { port, extra: ['-s', user, '-au', user, '-ap', secret] });
    const code = await reg.exited;
    if (code !== 0) throw new Error(`registering ${user} failed (${code}): ${reg.output}`);
    const phone = this.sipp(scenario, { port, remote: false, extra: ['-s', user, ...extra] });
    await waitFor(`sipp ${scenario} to bind`, () => udpPortTaken(port), 5000, 20);
    return phone;
  }

  async stop() {
    if (this.process && this.process.exitCode_ === null) {
      this.process.kill('SIGTERM');
      await Promise.race([this.process.exited, new Promise((r) => setTimeout(r, 10000))]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
