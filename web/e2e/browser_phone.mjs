// A user at the web app in headless Chromium, for the C++ end-to-end tests that judge audio
// (tests/e2e/browser_monitor_test.cpp): signs in to a running `suflyor serve` through the login
// form, waits until the page's softphone is registered, and records what the page plays from its
// calls (the far end's audio as the browser decodes it) into a WAV file. Its microphone is
// Chromium's fake capture device playing --mic (a WAV file, looped).
//
//   node e2e/browser_phone.mjs --url http://127.0.0.1:8080 --login anna --password secret \
//        --mic tone.wav --out heard.wav [--chromium /usr/bin/chromium] [--answer] [--dial NUMBER]
//
// Prints one line per event on stdout: "registered", "call <phase>", "heard <seconds>" (every
// 0.25 s while a call plays), "error <text>". SIGTERM (or SIGINT) writes --out (16-bit mono at
// 16 kHz) and exits 0. With --answer, a ringing call the page shows with answer/decline buttons is
// answered by clicking «answer» (an operator taking an inbound call); the server's monitor calls
// are answered by the page itself. With --dial, the page calls NUMBER from the dial pad once
// registered (an operator's outbound call).
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    login: { type: 'string' },
    password: { type: 'string' },
    mic: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' },
    answer: { type: 'boolean', default: false },
    dial: { type: 'string' },
  },
});
for (const key of ['url', 'login', 'password', 'mic', 'out'])
  if (!opts[key]) {
    console.error(`browser_phone: --${key} is required`);
    process.exit(2);
  }

const RATE = 16000; // what the page keeps: plenty for tones below 4 kHz

// In the page before any script: every remote audio track a peer connection receives is also
// recorded (downsampled to RATE by averaging), in the order the frames arrive.
const recorderScript = `(() => {
  const chunks = [];
  let samples = 0;
  window.__heard = { chunks, seconds: () => samples / ${RATE} };
  // The decoded audio frames of the track (MediaStreamTrackProcessor: what the browser's decoder
  // hands its players). WebAudio's MediaStreamSource reads silence from a remote WebRTC track in
  // headless Chromium, so it is not used.
  const record = async (track) => {
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    let carry = 0, sum = 0, count = 0;
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done) return;
      const n = frame.numberOfFrames;
      const input = new Float32Array(n);
      frame.copyTo(input, { planeIndex: 0, format: 'f32-planar' });
      const step = frame.sampleRate / ${RATE};
      frame.close();
      const out = [];
      for (let i = 0; i < n; i++) {
        sum += input[i]; count++; carry++;
        if (carry >= step) { out.push(sum / count); carry -= step; sum = 0; count = 0; }
      }
      const pcm = new Int16Array(out.length);
      for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(out[i] * 32767)));
      chunks.push(pcm);
      samples += pcm.length;
    }
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      (window.__pcs ??= []).push(this);
      this.addEventListener('track', (e) => {
        if (e.track.kind === 'audio') record(e.track);
      });
    }
  };
})();`;

function wav(pcm) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.length * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.length * 2, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

const browser = await chromium.launch({
  executablePath: opts.chromium,
  // Our own SIGTERM handler saves the recording first; Playwright's would close the page before.
  handleSIGTERM: false,
  handleSIGINT: false,
  handleSIGHUP: false,
  args: [
    '--no-sandbox',
    '--disable-dev-shm-usage',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${opts.mic}`,
    '--autoplay-policy=no-user-gesture-required',
  ],
});
const context = await browser.newContext({ locale: 'ru-RU', permissions: ['microphone'] });
await context.addInitScript(recorderScript);
// SUFLYOR_E2E_DEBUG: JsSIP's own trace (SIP messages, session steps) on stderr.
if (process.env.SUFLYOR_E2E_DEBUG) await context.addInitScript(() => localStorage.setItem('debug', 'JsSIP:*'));
const page = await context.newPage();
page.on('pageerror', (e) => console.log(`error page: ${e.message}`));
page.on('console', (m) => console.error(`console ${m.type()}: ${m.text()}`));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    const bytes = await page.evaluate(() => {
      const all = window.__heard.chunks;
      const total = all.reduce((n, c) => n + c.length, 0);
      const pcm = new Int16Array(total);
      let at = 0;
      for (const c of all) { pcm.set(c, at); at += c.length; }
      const u8 = new Uint8Array(pcm.buffer);
      let text = '';
      for (let i = 0; i < u8.length; i += 0x8000) text += String.fromCharCode(...u8.subarray(i, i + 0x8000));
      return btoa(text);
    });
    const raw = Buffer.from(bytes, 'base64');
    writeFileSync(opts.out, wav(new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2)));
  } catch (e) {
    console.log(`error while saving: ${e.message}`);
  }
  await browser.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

try {
  await page.goto(opts.url + '/');
  await page.fill('input[name=login]', opts.login);
  await page.fill('input[name=password]', opts.password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=phone-menu][data-registration=registered]').waitFor({ timeout: 30000 });
  console.log('registered');
  if (opts.dial) {
    await page.fill('[data-testid=dial-number]', opts.dial);
    await page.click('[data-testid=dial-call]');
  }
} catch (e) {
  console.log(`error ${e.message.split('\n')[0]}`);
}

let phase = '';
for (;;) {
  if (stopping) break;
  const dock = page.locator('[data-testid=phone-dock]');
  const now = (await dock.count()) ? await dock.getAttribute('data-phase') : '';
  if (now !== phase) {
    phase = now ?? '';
    console.log(`call ${phase || 'none'}`);
  }
  if (opts.answer && phase === 'ringing-in' && (await page.locator('[data-testid=phone-answer]').count()))
    await page.click('[data-testid=phone-answer]').catch(() => {});
  const seconds = await page.evaluate(() => window.__heard.seconds()).catch(() => 0);
  if (process.env.SUFLYOR_E2E_DEBUG && Math.floor(seconds) !== Math.floor(seconds - 0.25)) {
    const stats = await page
      .evaluate(async () => {
        const out = [];
        for (const pc of window.__pcs ?? [])
          for (const r of (await pc.getStats()).values())
            if (r.type === 'inbound-rtp' || r.type === 'outbound-rtp' || r.type === 'transport')
              out.push(`${r.type} packets=${r.packetsReceived ?? r.packetsSent ?? '-'} level=${r.audioLevel ?? '-'} dtls=${r.dtlsState ?? '-'}`);
        return out.join('; ');
      })
      .catch((e) => e.message);
    console.error(`stats ${stats}`);
  }
  if (seconds > 0) console.log(`heard ${seconds.toFixed(2)}`);
  await new Promise((r) => setTimeout(r, 250));
}
