/**
 * Telephony's part of the service graph, and its policy in one place: phone routes and call
 * tokens always (inbound calls need no credentials of ours to be verified); with Twilio and a
 * public URL configured, reminder calls for users who chose them and the caregiver's
 * missed-dose text.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { SqliteDatabase } from '../db/sqlite.js';
import type { HealthService } from '../health/service.js';
import type { NotificationSink } from '../reminders/delivery.js';
import { missedDoseAlerter, callingSink, TwilioRest } from './outbound.js';
import { phoneRouteListener } from './phone-index.js';
import { streamUrl } from './routes.js';
import { AlertLedger, CallTokens, phoneHashKey, PhoneRoutes } from './store.js';

export interface TelephonyServices {
  routes: PhoneRoutes;
  tokens: CallTokens;
  ledger: AlertLedger;
  /** Live sessions first; with calling configured, a call for users who chose `reminder_channel: "call"`. */
  sink: NotificationSink;
  /** With calling configured: the caregiver check the scheduler runs after a dose's time. */
  overdue?: { afterMs: number; check(userId: string, notificationId: string): Promise<unknown> };
}

export function telephonyServices(o: {
  config: Pick<Config, 'dataKey' | 'twilio' | 'publicUrl' | 'telephony'>;
  authDb: SqliteDatabase;
  health: HealthService;
  /** The live voice sessions (speakers, browsers, calls in progress). */
  live: NotificationSink;
  now: () => number;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}): TelephonyServices {
  const { config, now } = o;
  // A caller's number finds the account through keyed hashes in podd_auth.db.
  const routes = new PhoneRoutes(o.authDb, phoneHashKey(config.dataKey), now);
  const tokens = new CallTokens(o.authDb, now);
  const ledger = new AlertLedger(o.authDb, now);
  o.health.onChange(phoneRouteListener(routes));

  const { accountSid, authToken, from, apiUrl } = config.twilio;
  if (!accountSid || !authToken || !from || !config.publicUrl) return { routes, tokens, ledger, sink: o.live };
  const twilio = new TwilioRest({ accountSid, authToken, baseUrl: apiUrl });
  const defaultCountryCode = config.telephony.defaultCountryCode;
  const afterMs = config.telephony.caregiverAlertAfterMs;
  return {
    routes,
    tokens,
    ledger,
    sink: callingSink({ live: o.live, health: o.health, twilio, from, tokens, streamUrl: streamUrl(config.publicUrl, 'twilio'), log: o.log, defaultCountryCode, now }),
    overdue: { afterMs, check: missedDoseAlerter({ health: o.health, twilio, from, ledger, log: o.log, defaultCountryCode, afterMs, now }) },
  };
}
