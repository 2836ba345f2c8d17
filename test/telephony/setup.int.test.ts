/** Call set-up for Exotel and Plivo: how each learns where to stream and with which token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillPhoneRoutes } from '../../src/telephony/phone-index.js';
import { plivoSignatureV3 } from '../../src/telephony/signatures.js';
import { callerWithProfile, makeTelephonyApp, PUBLIC_URL, SECRETS, type TelephonyHarness } from './harness.js';
import { connect } from './streams.js';
import { basic, exotelStreamUrl, plivoAnswer } from './webhooks.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await makeTelephonyApp();
  await callerWithProfile(h, { name: 'Asha', phone: '+919876500001' });
  await callerWithProfile(h, { name: 'Twin one', phone: '+919876500002' });
  await callerWithProfile(h, { name: 'Twin two', phone: '+919876500002' });
}, 30_000);
afterAll(async () => h?.close());

describe('Exotel Voicebot dynamic URL', () => {
  it('returns the wss:// URL with Basic credentials, 16 kHz and a call token for a known caller (national number form)', async () => {
    const res = await exotelStreamUrl(h, '09876500001');
    expect(res.statusCode).toBe(200);
    const url = new URL(res.json<{ url: string }>().url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('wss://podd.example.com/api/telephony/exotel');
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual([SECRETS.EXOTEL_STREAM_USER, SECRETS.EXOTEL_STREAM_PASSWORD]);
    expect(url.searchParams.get('sample-rate')).toBe('16000');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses wrong credentials (401), an unknown number and a number two accounts share (404)', async () => {
    expect((await exotelStreamUrl(h, '09876500001', basic('exotel-user', 'nope'))).statusCode).toBe(401);
    expect((await exotelStreamUrl(h, '09876500009')).statusCode).toBe(404);
    expect((await exotelStreamUrl(h, '+919876500002')).json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
  });

  it('refuses a stream upgrade without the Basic credentials', async () => {
    await expect(connect(h.port, 'exotel', { headers: {} })).rejects.toMatchObject({ statusCode: 403 });
    await expect(connect(h.port, 'exotel', { headers: { authorization: basic('exotel-user', 'nope') } })).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('Plivo answer URL', () => {
  const params = { CallUUID: '8b2f0c1e-0000-4000-8000-000000000001', From: '919876500001', To: '918000000000', Direction: 'inbound', CallStatus: 'ringing' };

  it('answers a known caller with a bidirectional 16 kHz <Stream> carrying the token in extraHeaders', async () => {
    const res = await plivoAnswer(h, params);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Stream bidirectional="true" keepCallAlive="true" audioTrack="inbound" contentType="audio\/x-l16;rate=16000" extraHeaders="token=[0-9a-f]{32}">wss:\/\/podd\.example\.com\/api\/telephony\/plivo<\/Stream><\/Response>$/,
    );
  });

  it('speaks a polite refusal to an unknown number and hangs up', async () => {
    const res = await plivoAnswer(h, { ...params, From: '14155550100' });
    expect(res.body).toContain('<Speak language="en-IN">Sorry, this number is not registered with Podd.');
    expect(res.body).toContain('<Hangup/>');
  });

  it('refuses a tampered parameter and a signature over another URL with 403', async () => {
    const tampered = await plivoAnswer(h, { ...params, From: '919876500009' }, { signParams: params });
    const wrongUrl = await plivoAnswer(h, params, { signUrl: `${PUBLIC_URL}/api/telephony/plivo/other` });
    for (const res of [tampered, wrongUrl]) {
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('<Stream');
    }
  });

  it('checks the V3 signature of the stream upgrade', async () => {
    await expect(connect(h.port, 'plivo', { headers: {} })).rejects.toMatchObject({ statusCode: 403 });
    const nonce = '1234567890';
    const overOther = plivoSignatureV3(SECRETS.PLIVO_AUTH_TOKEN, 'GET', 'wss://evil.example.com/api/telephony/plivo', {}, nonce);
    await expect(connect(h.port, 'plivo', { headers: { 'x-plivo-signature-v3': overOther, 'x-plivo-signature-v3-nonce': nonce } })).rejects.toMatchObject({ statusCode: 403 });
    const peer = await connect(h.port, 'plivo');
    peer.ws.close();
  });
});

describe('phone routes follow profile writes', () => {
  it('are rebuilt from the profiles by the start-up backfill', async () => {
    const user = await callerWithProfile(h, { name: 'Early', phone: '+919876500007' });
    h.db.prepare('DELETE FROM phone_routes').run();
    expect(h.routes.lookup('+919876500007')).toBeNull();
    const ids = h.db.prepare('SELECT id FROM users').pluck().all() as string[];
    expect(await backfillPhoneRoutes(h.routes, h.app.services.health, ids)).toBeGreaterThanOrEqual(4);
    expect(h.routes.lookup('+919876500007')).toEqual({ userId: user.user.id });
    expect(h.routes.lookup('+919876500002')).toEqual({ ambiguous: true });
  });

  it('a new number routes at once; the old one stops routing', async () => {
    const user = await callerWithProfile(h, { name: 'Mover', phone: '+919876500005' });
    expect(h.routes.lookup('+919876500005')).toEqual({ userId: user.user.id });
    const res = await h.app.inject({ method: 'PATCH', url: '/api/profile', headers: user.auth, payload: { phone: '+919876500006' } });
    expect(res.statusCode).toBe(200);
    expect(h.routes.lookup('+919876500005')).toBeNull();
    expect(h.routes.lookup('+919876500006')).toEqual({ userId: user.user.id });
    // Forgetting all data bypasses the change listeners: the next call finds the profile gone and drops the route.
    expect((await h.app.inject({ method: 'DELETE', url: '/api/profile', headers: user.auth, payload: { confirm: true } })).statusCode).toBe(200);
    expect((await plivoAnswer(h, { From: '919876500006', CallUUID: 'c-2', To: '918000000000' })).body).toContain('<Hangup/>');
    expect(h.routes.lookup('+919876500006')).toBeNull();
  });
});

describe('rate limits on provider traffic', () => {
  it('gives webhooks ten times the per-IP API limit: calls arrive from a few provider addresses', async () => {
    const t = await makeTelephonyApp({ env: { API_RATE_LIMIT_PER_MIN: '5' } });
    try {
      const asha = await callerWithProfile(t, { name: 'Asha', phone: '+919876500001' });
      const api = [];
      for (let i = 0; i < 6; i++) api.push((await t.app.inject({ url: '/api/profile', headers: asha.auth })).statusCode);
      expect(api).toContain(429);
      const hooks = [];
      for (let i = 0; i < 12; i++) hooks.push((await exotelStreamUrl(t, '09876500001')).statusCode);
      expect(hooks.every((s) => s === 200)).toBe(true);
      for (let i = 0; i < 40; i++) await exotelStreamUrl(t, '09876500001');
      expect((await exotelStreamUrl(t, '09876500001')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});
