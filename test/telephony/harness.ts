/**
 * A listening Podd app with the telephony routes registered the way the lead will wire them:
 * the real STT/TTS providers, the real assistant graph, the voice session registry, the phone
 * route index on podd_auth.db. Providers reach it over real sockets.
 */
import type { AddressInfo } from 'node:net';
import { openAuthDatabase } from '../../src/auth/db.js';
import type { SqliteDatabase } from '../../src/db/sqlite.js';
import type { SttProvider, TtsProvider } from '../../src/voice/providers/types.js';
import type { VoiceSessions } from '../../src/voice/registry.js';
import type { MediaBridge } from '../../src/telephony/bridge.js';
import type { AlertLedger, CallTokens, PhoneRoutes } from '../../src/telephony/store.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

export const PUBLIC_URL = 'https://podd.example.com';
export const SECRETS = {
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'twilio-test-auth-token',
  TWILIO_FROM: '+15005550006',
  EXOTEL_STREAM_USER: 'exotel-user',
  EXOTEL_STREAM_PASSWORD: 'exotel-pass',
  PLIVO_AUTH_ID: 'MA0000000000000000TEST',
  PLIVO_AUTH_TOKEN: 'plivo-test-auth-token',
};

export interface TelephonyHarness extends TestApp {
  port: number;
  db: SqliteDatabase;
  tokens: CallTokens;
  routes: PhoneRoutes;
  ledger: AlertLedger;
  sessions: VoiceSessions;
  calls: MediaBridge[];
  stt: SttProvider;
  tts: TtsProvider;
}

export async function makeTelephonyApp(o: { env?: Record<string, string>; stt?: SttProvider; tts?: TtsProvider } = {}): Promise<TelephonyHarness> {
  let db!: SqliteDatabase;
  let tokens!: CallTokens;
  let routes!: PhoneRoutes;
  let ledger!: AlertLedger;
  const calls: MediaBridge[] = [];
  const t = await makeTestApp({
    env: { PUBLIC_URL, LOG_LEVEL: 'warn', REGISTER_RATE_LIMIT_PER_MIN: '1000', ...SECRETS, ...o.env },
    app: {
      ...(o.stt ? { stt: o.stt } : {}),
      ...(o.tts ? { tts: o.tts } : {}),
      // Replies are paced at playback speed; 4× keeps the suite quick without changing the order of anything.
      telephony: { onCall: (c) => calls.push(c), playoutSpeed: 4 },
    },
    beforeReady: async (app) => {
      // A second connection to podd_auth.db for tests that inspect or clear the phone routes.
      db = openAuthDatabase(app.config.dataDir, app.config.dataKey);
      ({ tokens, routes, ledger } = app.services.telephony);
      app.addHook('onClose', async () => db.close());
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const { stt, tts, voiceSessions: sessions } = t.app.services;
  return { ...t, port, db, tokens, routes, ledger, sessions, calls, stt, tts };
}

/** A user whose profile has a phone number, a name and (optionally) more profile fields. */
export async function callerWithProfile(h: TestApp, profile: Record<string, unknown>) {
  const user = await registerUser(h.app);
  const res = await h.app.inject({ method: 'PUT', url: '/api/profile', headers: user.auth, payload: profile });
  if (res.statusCode >= 300) throw new Error(`profile: ${res.statusCode} ${res.body}`);
  return user;
}
