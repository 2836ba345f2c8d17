/**
 * Telephony's part of the service graph, and its policy in one place: phone routes and call
 * tokens always (inbound calls need no credentials of ours to be verified); with Twilio and a
 * public URL configured, reminder calls for users who chose them; with Twilio's SMS settings,
 * the family's texts and spoken calls.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { SqliteDatabase } from '../db/sqlite.js';
import { AppError } from '../errors.js';
import { FamilySendError, type FamilyMessenger } from '../health/care-alerts.js';
import type { HealthService } from '../health/service.js';
import type { NotificationSink } from '../reminders/delivery.js';
import { callingSink, TwilioRest } from './outbound.js';
import { toE164 } from './phone.js';
import { phoneRouteListener } from './phone-index.js';
import { streamUrl } from './routes.js';
import { twimlSayTwice } from './xml.js';
import { LOCALE } from '../../prompts/lang.js';
import { AlertLedger, CallTokens, phoneHashKey, PhoneRoutes } from './store.js';

export interface TelephonyServices {
  routes: PhoneRoutes;
  tokens: CallTokens;
  ledger: AlertLedger;
  /** Live sessions first; with calling configured, a call for users who chose `reminder_channel: "call"`. */
  sink: NotificationSink;
  /** With Twilio and a sender number configured: texts and spoken calls to a person's family. */
  messenger?: FamilyMessenger;
}

/** Texts and spoken calls through Twilio; a number that cannot be an E.164 one, or a 4xx, is not tried again. */
export function twilioMessenger(twilio: TwilioRest, from: string, defaultCountryCode: string): FamilyMessenger {
  return {
    async sms(raw, body) {
      const to = toE164(raw, defaultCountryCode);
      if (!to) throw new FamilySendError('invalid_number', false);
      try {
        await twilio.sendSms({ to, from, body });
      } catch (err) {
        throw providerError(err);
      }
    },
    // Inline TwiML: the call needs no public URL of ours, only the account.
    async call(raw, speech, lang) {
      const to = toE164(raw, defaultCountryCode);
      if (!to) throw new FamilySendError('invalid_number', false);
      try {
        await twilio.createCall({ to, from, twiml: twimlSayTwice(speech, LOCALE[lang]) });
      } catch (err) {
        throw providerError(err);
      }
    },
  };
}

/** Twilio's refusal as a send error: a 5xx, 429 or no answer is worth another try; a 4xx is not. */
function providerError(err: unknown): FamilySendError {
  const status = err instanceof AppError ? (err.details as { status?: unknown }).status : undefined;
  return new FamilySendError('provider_error', typeof status !== 'number' || status >= 500 || status === 429);
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
  if (!accountSid || !authToken || !from) return { routes, tokens, ledger, sink: o.live };
  const twilio = new TwilioRest({ accountSid, authToken, baseUrl: apiUrl });
  const defaultCountryCode = config.telephony.defaultCountryCode;
  const messenger = twilioMessenger(twilio, from, defaultCountryCode);
  // Reminder calls need a public URL for their media stream; texts and the family's spoken calls do not.
  if (!config.publicUrl) return { routes, tokens, ledger, sink: o.live, messenger };
  return {
    routes,
    tokens,
    ledger,
    messenger,
    sink: callingSink({ live: o.live, health: o.health, twilio, from, tokens, streamUrl: streamUrl(config.publicUrl, 'twilio'), log: o.log, defaultCountryCode, now }),
  };
}
