/**
 * Calls and texts we place ourselves, through Twilio's REST API (2010-04-01):
 * reminder calls: a due reminder for a user who chose `reminder_channel: "call"` and has no
 *   live session becomes a phone call whose stream speaks it and takes "yes, I took it";
 * the family's texts and spoken calls go through `twilioMessenger` (services.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors.js';
import type { HealthService } from '../health/service.js';
import type { NotificationItem } from '../reminders/delivery.js';
import type { NotificationSink } from '../reminders/delivery.js';
import { toE164 } from './phone.js';
import type { CallTokens } from './store.js';
import { twimlConnectStream } from './xml.js';

type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface TwilioRestOptions {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com; tests point it at a local fake. */
  baseUrl?: string;
  timeoutMs?: number;
}

export class TwilioRest {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly opts: TwilioRestOptions) {
    this.base = `${(opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}`;
    this.authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  }

  /** Places a call that runs the given TwiML when answered. */
  createCall(p: { to: string; from: string; twiml: string; timeoutS?: number }): Promise<{ sid: string }> {
    return this.post('Calls.json', { To: p.to, From: p.from, Twiml: p.twiml, Timeout: String(p.timeoutS ?? 30) });
  }

  sendSms(p: { to: string; from: string; body: string }): Promise<{ sid: string }> {
    return this.post('Messages.json', { To: p.to, From: p.from, Body: p.body });
  }

  private async post(resource: string, form: Record<string, string>): Promise<{ sid: string }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/${resource}`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', 'Twilio is not reachable');
    }
    const body = (await res.json().catch(() => ({}))) as { sid?: unknown; code?: unknown };
    if (!res.ok || typeof body.sid !== 'string') {
      // Twilio's error code says why (e.g. 21211 invalid number); never the request itself.
      throw new AppError('UPSTREAM_UNAVAILABLE', 'Twilio refused the request', { status: res.status, twilio_code: typeof body.code === 'number' ? body.code : null });
    }
    return { sid: body.sid };
  }
}

export interface CallingSinkOptions {
  /** Live sessions (speakers, browsers, calls): they come first. */
  live: NotificationSink;
  health: HealthService;
  twilio: TwilioRest;
  from: string;
  tokens: CallTokens;
  /** wss:// URL of our Twilio stream. */
  streamUrl: string;
  log: Log;
  defaultCountryCode?: string;
  /** A token must outlive ringing and answering. Default 10 minutes. */
  tokenTtlMs?: number;
  /** One call per user within this window; later reminders are spoken on it. Default 3 minutes. */
  coalesceMs?: number;
  now?: () => number;
}

/**
 * A NotificationSink decorator: live sessions first; otherwise, for medication reminders of users
 * who chose `reminder_channel: "call"`, a phone call. The call counts as not yet delivered (0):
 * the notification is marked delivered when the call's audio mark comes back played.
 */
export function callingSink(o: CallingSinkOptions): NotificationSink & { placed: number } {
  const now = o.now ?? Date.now;
  const recent = new Map<string, number>();
  const sink = {
    placed: 0,
    async deliver(userId: string, n: NotificationItem): Promise<number> {
      const delivered = await o.live.deliver(userId, n);
      if (delivered > 0 || n.type !== 'medication' || n.missed) return delivered;
      const health = o.health.forUser(userId);
      const profile = await health.get('profile', health.store.profileId);
      const phone = toE164(profile?.phone, o.defaultCountryCode);
      if (profile?.reminder_channel !== 'call' || !phone) return 0;
      const t = now();
      for (const [u, at] of recent) if (t - at > (o.coalesceMs ?? 180_000)) recent.delete(u);
      // A second reminder due at the same minute is spoken on the call already ringing.
      if (recent.has(userId)) return 0;
      recent.set(userId, t);
      const token = o.tokens.issue(userId, 'reminder', o.tokenTtlMs ?? 600_000, n.id);
      try {
        const call = await o.twilio.createCall({ to: phone, from: o.from, twiml: twimlConnectStream(o.streamUrl, { token }) });
        sink.placed++;
        o.log.info({ userId, notificationId: n.id, callSid: call.sid }, 'reminder call placed');
      } catch (err) {
        recent.delete(userId);
        o.log.warn({ userId, notificationId: n.id, code: err instanceof AppError ? err.code : 'INTERNAL' }, 'reminder call failed');
      }
      return 0;
    },
  };
  return sink;
}
