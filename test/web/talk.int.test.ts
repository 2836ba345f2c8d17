/**
 * The talk page in a real headless Chromium (Debian's, driven by puppeteer-core) against the real
 * app on a real port, with a fake microphone playing a fixture WAV: register, talk, see the turn,
 * hear the reply, type a turn, get a reminder, mark a dose taken, survive a dropped socket and an
 * expired token. A screenshot lands in test-output/web/ for review.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebRoot, webRoutes } from '../../src/http/routes/web.js';
import { makeTestApp, tempDir, type TestApp } from '../helpers/app.js';

/*
 * The few browser globals the page callbacks below touch. Declared here, module-scoped, because
 * the node tsconfig has no DOM library (and adding it would change every file's globals).
 */
interface PageElement {
  textContent: string | null;
  disabled?: boolean;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}
declare const document: { querySelector(sel: string): PageElement | null; addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void };
declare const window: unknown;
declare const navigator: { mediaDevices: { getUserMedia: () => Promise<unknown> } };
type HTMLButtonElement = PageElement;

const CHROMIUM = '/usr/bin/chromium';
const REPO = join(import.meta.dirname, '../..');
const WAV = join(REPO, 'fixtures/audio/web/vitals-bp-padded.wav');
const OUT = join(REPO, 'test-output/web');

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let userDataDir: string;
let tempWebRoot: string | undefined;
let serverClockOffset = 0;
const pageErrors: string[] = [];
const account = { name: 'Asha Verma', email: `talk-${process.pid}-${Date.now()}@example.com`, password: 'correct horse battery' };

async function asUser() {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
  const body = res.json() as { access_token: string; user: { id: string } };
  return { id: body.user.id, headers: { authorization: `Bearer ${body.access_token}` } };
}

const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
const debug = () => page.evaluate(() => (window as unknown as { poddDebug: { talk: Record<string, unknown>; refreshes: number } }).poddDebug);
const waitDebug = (expr: string, timeout = 20_000) => page.waitForFunction(`(() => { const d = window.poddDebug; return ${expr}; })()`, { timeout });

const describeIfChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeIfChromium('talk page in headless Chromium', () => {
  beforeAll(async () => {
    let webRoot = (tempWebRoot = tempDir('podd-web-build-'));
    t = await makeTestApp({
      now: () => Date.now() + serverClockOffset,
      env: { REGISTER_RATE_LIMIT_PER_MIN: '100', LOGIN_RATE_LIMIT_PER_MIN: '100' },
      beforeReady: async (app) => {
        // Until the lead wires the page into app.ts, the test registers it the same way.
        if (app.hasRoute({ method: 'GET', url: '/' })) {
          rmSync(webRoot, { recursive: true, force: true });
          tempWebRoot = undefined;
          webRoot = defaultWebRoot();
        }
        else await app.register(webRoutes, { root: webRoot });
      },
    });
    execFileSync(process.execPath, [join(REPO, 'scripts/build-web.mjs'), '--out', webRoot], { stdio: 'pipe' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    userDataDir = tempDir('podd-chromium-');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      args: [
        '--no-sandbox',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${WAV}%noloop`,
        '--autoplay-policy=no-user-gesture-required',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (tempWebRoot) rmSync(tempWebRoot, { recursive: true, force: true });
  });

  it('registers through the page and connects the voice socket', async () => {
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.waitForSelector('#auth:not([hidden])');
    await page.click('#auth-switch');
    await page.type('#name', account.name);
    await page.type('#email', account.email);
    await page.type('#password', account.password);
    await page.click('#auth-submit');
    await page.waitForSelector('#app:not([hidden])');
    expect(await text('#who-name')).toBe(account.name);
    await page.waitForSelector('#talk-panel[data-link="ready"]');
    // Hands-free: the server's VAD ends the turn when the fixture's speech stops.
    await page.click('input[name="mode"][value="hands-free"]');
    await waitDebug("d.talk.linkState === 'ready'");
  });

  it('talks: transcript, route and reply appear, the reply plays, the timeline has timings, the BP is stored', async () => {
    await page.click('#talk');
    await page.waitForSelector('#talk[aria-pressed="true"]');
    await page.waitForSelector('#transcript.final', { timeout: 30_000 });
    expect((await text('#transcript')).toLowerCase()).toMatch(/b\s?p/);
    await page.waitForFunction(() => (document.querySelector('#reply')?.textContent ?? '').length > 0, { timeout: 20_000 });
    expect(await text('#route')).toBe('log');
    expect(await text('#reply')).toMatch(/140/);

    await page.waitForSelector('#timings:not([hidden]) dd[data-timing="total_ms"]', { timeout: 20_000 });
    for (const key of ['stt_ms', 'graph_ms', 'tts_first_byte_ms', 'total_ms']) {
      expect(await text(`#timings dd[data-timing="${key}"]`)).toMatch(/^\d+ ms$/);
    }
    const events = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.getAttribute('data-event')));
    expect(events).toEqual(expect.arrayContaining(['run-start', 'vad-start', 'vad-end', 'stt-end', 'intent-start', 'intent-end', 'tts-start', 'tts-end', 'run-end']));
    expect(events.indexOf('stt-end')).toBeLessThan(events.indexOf('intent-end'));

    const d = await debug();
    expect(d.talk.framesSent).toBeGreaterThan(100); // > 2 s of 20 ms frames from the worklet
    expect(d.talk.audioChunks).toBeGreaterThan(0);
    expect(d.talk.firstAudioAt).not.toBeNull();
    expect(d.talk.audioState).toBe('running');
    // The worklet really resampled: the audio engine runs at the device rate, not 16 kHz.
    expect([44100, 48000]).toContain(d.talk.audioRate);

    const user = await asUser();
    const vitals = (await t.app.inject({ url: '/api/health/vitals', headers: user.headers })).json().items as Array<Record<string, number>>;
    expect(vitals.some((v) => v.blood_pressure_systolic === 140 && v.blood_pressure_diastolic === 90)).toBe(true);
    // Today follows the turn: latest BP and the chart.
    await page.waitForFunction(() => document.querySelector('#today-bp')?.textContent === '140/90', { timeout: 10_000 });
    expect(await page.$eval('#chart-bp svg', (s) => Number(s.getAttribute('data-points')))).toBe(2);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'talk-voice-turn.png'), fullPage: true });
  });

  it('a typed turn goes through and Today shows the water', async () => {
    await page.click('#talk'); // stop hands-free listening
    await page.waitForSelector('#talk[aria-pressed="false"]');
    await page.type('#type-text', 'I drank 2 glasses of water');
    await page.click('#type-send');
    await page.waitForFunction(() => document.querySelector('#turn')?.getAttribute('data-source') === 'typed' && (document.querySelector('#reply')?.textContent ?? '').length > 0, { timeout: 20_000 });
    expect(await text('#transcript')).toBe('I drank 2 glasses of water');
    expect(await text('#route')).toBe('log');
    await page.waitForFunction(() => /ml|L/.test(document.querySelector('#today-water')?.textContent ?? ''), { timeout: 10_000 });
    expect(await text('#today-water')).toBe('500 ml');
    expect(await page.$eval('#type-send', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
  });

  it('a reminder pushed on the socket pops up, is spoken, and "Done" marks it read', async () => {
    const user = await asUser();
    const before = (await debug()).talk.audioChunks as number;
    const health = t.app.services.health.forUser(user.id);
    const n = await health.create('notification', { title: 'Time for Metformin', message: 'Please take your Metformin 500 mg now.', type: 'medication', fire_at: new Date(t.app.services.health.now()).toISOString() });
    expect(await t.app.services.voiceSessions.deliver(user.id, n)).toBe(1);
    await page.waitForSelector('#reminder:not([hidden])', { timeout: 10_000 });
    expect(await text('#reminder-title')).toBe('Time for Metformin');
    expect(await text('#reminder-message')).toBe('Please take your Metformin 500 mg now.');
    await waitDebug(`d.talk.audioChunks > ${before}`);
    await page.screenshot({ path: join(OUT, 'talk-reminder.png'), fullPage: true });
    await page.click('#reminder-done');
    await page.waitForSelector('#reminder', { hidden: true });
    const stored = (await t.app.inject({ url: `/api/notifications/${n.id}`, headers: user.headers })).json();
    expect(stored.read).toBe(true);
  });

  it('"Taken" on a dose due today logs it', async () => {
    const user = await asUser();
    const med = (await t.app.inject({ method: 'POST', url: '/api/medications', headers: user.headers, payload: { name: 'Metformin', dosage: '500 mg' } })).json();
    await t.app.inject({ method: 'POST', url: '/api/medication-schedules', headers: user.headers, payload: { medication_id: med.id, time_of_day: '23:59', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] } });
    await page.click('#today-refresh');
    await page.waitForSelector('#meds button.taken');
    await page.click('#meds button.taken');
    await page.waitForSelector('#meds .dose.taken', { timeout: 10_000 });
    const logs = (await t.app.inject({ url: '/api/medication/logs', headers: user.headers })).json().items as Array<{ status: string; medication_id: string }>;
    expect(logs).toEqual([expect.objectContaining({ status: 'taken', medication_id: `medication:${med.id}` })]);
  });

  it('a socket dropped mid-turn, with an expired token, reconnects (refreshing) and says so', async () => {
    await page.click('#talk'); // listening again: a drop now interrupts a turn
    await page.waitForSelector('#talk[aria-pressed="true"]');
    const refreshesBefore = (await debug()).refreshes;
    serverClockOffset = (t.config.auth.accessTokenTtlS + 60) * 1000; // the page's token is now expired for the server
    try {
      for (const client of t.app.websocketServer.clients) client.terminate();
      await page.waitForFunction(() => /dropped in the middle/.test(document.querySelector('#alert-text')?.textContent ?? ''), { timeout: 10_000 });
      expect(await page.$eval('#talk', (b) => b.getAttribute('aria-pressed'))).toBe('false');
      await page.waitForFunction(() => /Reconnected/.test(document.querySelector('#alert-text')?.textContent ?? ''), { timeout: 15_000 });
      await waitDebug("d.talk.linkState === 'ready'");
      expect((await debug()).refreshes).toBeGreaterThan(refreshesBefore);
      // And REST with the expired token: refreshed and retried, no error shown.
      await page.click('#today-refresh');
      await page.waitForFunction(() => !document.querySelector('#today-refresh')?.hasAttribute('aria-busy'));
      expect(await text('#today-bp')).toBe('140/90');
    } finally {
      serverClockOffset = 0;
    }
  });

  it('push-to-talk from the keyboard: Space held and released sends the turn; silence gets a clear message', async () => {
    await page.click('input[name="mode"][value="ptt"]');
    await waitDebug("d.talk.linkState === 'ready'");
    const turns = (await debug()).talk.turns as number;
    await page.focus('#talk');
    await page.keyboard.down('Space');
    await page.waitForSelector('#talk[aria-pressed="true"]');
    await new Promise((r) => setTimeout(r, 600)); // a hold, not a tap
    await page.keyboard.up('Space');
    await page.waitForSelector('#talk[aria-pressed="false"]');
    // The fixture has ended: the microphone hears silence, and the page says so instead of hanging.
    await waitDebug(`d.talk.turns > ${turns}`);
    await page.waitForSelector('#turn-problem:not([hidden])');
    expect(await text('#turn-problem')).toMatch(/did not (hear|catch)/);
    expect(await page.$eval('#talk', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
  });

  it('a denied microphone is explained and the button still answers', async () => {
    const context = await browser.createBrowserContext();
    try {
      const p = await context.newPage();
      // --use-fake-ui-for-media-stream grants every prompt, so this page gets the rejection a
      // person's "Block" produces: a NotAllowedError DOMException from getUserMedia.
      await p.evaluateOnNewDocument(() => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      });
      await p.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
      await p.goto(`${base}/`, { waitUntil: 'load' });
      await p.waitForSelector('#auth:not([hidden])');
      await p.type('#email', account.email);
      await p.type('#password', account.password);
      await p.click('#auth-submit');
      await p.waitForSelector('#talk-panel[data-link="ready"]');
      await p.click('#talk');
      await p.waitForSelector('#talk-panel[data-mic="denied"]', { timeout: 10_000 });
      expect(await p.$eval('#alert-text', (e) => e.textContent)).toMatch(/Microphone access was blocked/);
      expect(await p.$eval('#talk', (b) => b.getAttribute('aria-pressed'))).toBe('false');
      await p.screenshot({ path: join(OUT, 'talk-phone-mic-denied.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('raised no script errors and no CSP violations', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });
});
