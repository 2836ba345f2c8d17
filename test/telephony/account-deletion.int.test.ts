/**
 * Deleting an account hangs up a phone call in progress (its voice session belongs to the
 * account) and the number stops reaching anyone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTelephonyApp, callerWithProfile, type TelephonyHarness } from './harness.js';
import { connect } from './streams.js';
import { callToken, twilioVoice } from './webhooks.js';

const ASHA = '+919876543210';
let h: TelephonyHarness;

beforeAll(async () => {
  h = await makeTelephonyApp();
}, 30_000);
afterAll(async () => h?.close());

async function until(pred: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('closes the call stream within a second with 4001, and the number is no longer registered', async () => {
  const asha = await callerWithProfile(h, { name: 'Asha Devi', phone: ASHA, preferred_language: 'en-IN' });
  const peer = await connect(h.port, 'twilio');
  peer.start(await callToken(h, 'twilio', ASHA));
  await until(() => h.sessions.count(asha.user.id) === 1);

  const t0 = performance.now();
  const res = await h.app.inject({ method: 'DELETE', url: '/api/auth/account', headers: asha.auth, payload: { password: asha.password } });
  expect(res.statusCode, res.body).toBe(204);
  const closed = await Promise.race([peer.closed, new Promise((r) => setTimeout(() => r('still open'), 1_000))]);
  expect(closed).toEqual({ code: 4001, reason: 'account deleted' });
  expect(performance.now() - t0).toBeLessThan(1_000);
  expect(h.sessions.count(asha.user.id)).toBe(0);

  const again = await twilioVoice(h, { From: ASHA, CallSid: 'CA2', To: '+15005550006' });
  expect(again.body).toContain('not registered');
  expect(again.body).not.toContain('<Stream');
});
