/**
 * Telephony over HTTP: each provider's call webhook (who is calling → a call token) and its
 * media-stream WebSocket. None of this sits behind our bearer auth — providers cannot send it.
 * Webhooks are authenticated by the provider's signature (Twilio, Plivo) or Basic credentials
 * (Exotel); streams by the same at the upgrade, and by the single-use call token in `start`.
 * A provider whose credentials (or PUBLIC_URL) are not configured has no routes at all.
 *
 * Register with `app.register(telephonyRoutes, { prefix: '/api/telephony', … })`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { VoiceSessionOptions } from '../voice/session.js';
import { MediaBridge } from './bridge.js';
import { toE164 } from './phone.js';
import { phrase } from '../../prompts/phone.js';
import { LOCALE } from '../../prompts/lang.js';
import { PROTOCOLS, type ProviderName } from './protocols.js';
import { CallScript, type CallDeps } from './script.js';
import { verifyBasicAuth, verifyPlivoSignatureV3, verifyTwilioSignature, type Params } from './signatures.js';
import type { PhoneRoutes } from './store.js';
import { plivoSpeakHangup, plivoStreamXml, twimlConnectStream, twimlSayHangup } from './xml.js';

/** What every call needs (CallDeps), plus the routes' own settings. */
export interface TelephonyRouteOptions extends Pick<CallDeps, 'health' | 'tokens' | 'stt' | 'tts' | 'assistant' | 'sessions' | 'delivery' | 'accountName'> {
  config: Pick<Config, 'publicUrl' | 'twilio' | 'exotel' | 'plivo' | 'apiRateLimitPerMin'>;
  routes: PhoneRoutes;
  defaultLanguage?: string;
  /** For caller ids without a country code (Exotel's 0XXXXXXXXXX). Default 91 (India). */
  defaultCountryCode?: string;
  /**
   * Ask Exotel and Plivo for 16 kHz linear PCM instead of 8 kHz telephone audio (both offer it;
   * Twilio does not). Default true: the local recogniser's acoustic model is wideband and cannot
   * make sense of 8 kHz audio.
   */
  wideband?: boolean;
  /** How long a call token minted by a webhook stays redeemable. Default 2 minutes. */
  inboundTokenTtlMs?: number;
  session?: Partial<VoiceSessionOptions>;
  now?: () => number;
  /** Assumed playback speed at the provider; 1 (real time) except in tests. */
  playoutSpeed?: number;
  /** Every call's media bridge and its socket, for tests, diagnostics and benchmarks. */
  onCall?: (call: MediaBridge, socket: WebSocket) => void;
}

/** `https://host/base` → `wss://host/base` (`http` → `ws`). */
export function websocketBase(publicUrl: string): string {
  return publicUrl.replace(/^http/, 'ws');
}

/** The public wss:// URL of a provider's stream. */
export function streamUrl(publicUrl: string, provider: ProviderName, prefix = '/api/telephony'): string {
  return `${websocketBase(publicUrl)}${prefix}/${provider}`;
}

function formParser(_req: FastifyRequest, body: string, done: (err: Error | null, body?: Params) => void) {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  done(null, out);
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const forbidden = () => new AppError('FORBIDDEN', 'Request signature is not valid');

export async function telephonyRoutes(app: FastifyInstance, opts: TelephonyRouteOptions): Promise<void> {
  const { config } = opts;
  const publicUrl = config.publicUrl;
  if (!publicUrl) {
    app.log.warn('PUBLIC_URL is not set: telephony routes are disabled');
    return;
  }
  const prefix = app.prefix;
  const ttl = opts.inboundTokenTtlMs ?? 120_000;
  const country = opts.defaultCountryCode ?? '91';
  const language = opts.defaultLanguage ?? 'en-IN';
  const wideband = opts.wideband ?? true;
  const callDeps: CallDeps = {
    health: opts.health,
    tokens: opts.tokens,
    stt: opts.stt,
    tts: opts.tts,
    assistant: opts.assistant,
    sessions: opts.sessions,
    delivery: opts.delivery,
    accountName: opts.accountName,
    defaultLanguage: language,
    session: opts.session,
    now: opts.now,
  };
  // Every call's webhook and stream comes from the provider's few media servers, so a per-IP
  // limit sized for one app would refuse calls at a modest call rate. These routes reject
  // forged requests by signature at once; they get ten times the API limit.
  const hidden = { schema: { hide: true }, config: { rateLimit: { max: config.apiRateLimitPerMin * 10, timeWindow: 60_000 } } };
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, formParser);

  /** The caller's user and a fresh token for the stream, or null for an unknown (or ambiguous) number. */
  const mint = async (rawFrom: unknown, log: FastifyRequest['log']): Promise<{ token: string; userId: string } | null> => {
    const from = toE164(first(rawFrom as string | string[] | undefined), country);
    const route = from ? opts.routes.lookup(from) : null;
    if (!route || !('userId' in route)) {
      log.info({ known: false, ambiguous: route !== null }, 'call from an unknown number');
      return null;
    }
    // The profile has the last word: writes that bypass the change listeners (forgetting all
    // data, a restore) must not leave a number routing to an account that no longer claims it.
    const store = opts.health.forUser(route.userId).store;
    const phone = toE164((await store.get('profile', store.profileId))?.phone, country);
    if (phone !== from) {
      opts.routes.set(route.userId, phone);
      log.info({ known: false, stale: true }, 'call from an unknown number');
      return null;
    }
    return { userId: route.userId, token: opts.tokens.issue(route.userId, 'inbound', ttl) };
  };

  const serve = (provider: ProviderName, check: (req: FastifyRequest) => boolean) => {
    app.get(`/${provider}`, {
      websocket: true,
      preValidation: async (req) => {
        if (!check(req)) throw forbidden();
      },
      ...hidden,
    }, (socket: WebSocket, req: FastifyRequest) => {
      const queryToken = provider === 'exotel' ? (req.query as Record<string, unknown> | undefined)?.token : undefined;
      const upgradeToken = typeof queryToken === 'string' ? queryToken : undefined;
      const call = new MediaBridge(PROTOCOLS[provider], socket, new CallScript(callDeps, req.log), req.log, { playoutSpeed: opts.playoutSpeed, upgradeToken });
      opts.onCall?.(call, socket);
    });
  };

  if (config.twilio.authToken) {
    const token = config.twilio.authToken;
    app.post('/twilio/voice', hidden, async (req: FastifyRequest, reply: FastifyReply) => {
      const params = (req.body ?? {}) as Params;
      if (!verifyTwilioSignature(token, publicUrl + req.url, params, req.headers['x-twilio-signature'])) throw forbidden();
      const minted = await mint(params.From, req.log);
      reply.type('text/xml');
      if (!minted) return twimlSayHangup(phrase('en', 'unknown_caller'), LOCALE.en);
      return twimlConnectStream(streamUrl(publicUrl, 'twilio', prefix), { token: minted.token });
    });
    serve('twilio', (req) => verifyTwilioSignature(token, websocketBase(publicUrl) + req.url, {}, req.headers['x-twilio-signature']));
  }

  if (config.exotel.streamUser && config.exotel.streamPassword) {
    const user = config.exotel.streamUser;
    const password = config.exotel.streamPassword;
    // The Voicebot applet's "dynamic URL": Exotel asks which wss:// URL to connect this call to.
    const streamUrlFor = async (req: FastifyRequest) => {
      if (!verifyBasicAuth(req.headers.authorization, user, password)) throw new AppError('UNAUTHORIZED', 'Authentication required');
      const params = { ...(req.query as Params), ...((req.body ?? {}) as Params) };
      const minted = await mint(params.CallFrom ?? params.From, req.log);
      if (!minted) throw new AppError('NOT_FOUND', 'This number is not registered');
      const base = new URL(streamUrl(publicUrl, 'exotel', prefix));
      base.username = encodeURIComponent(user);
      base.password = encodeURIComponent(password);
      base.searchParams.set('sample-rate', wideband ? '16000' : '8000');
      base.searchParams.set('token', minted.token);
      return { url: base.toString() };
    };
    app.get('/exotel/stream-url', hidden, streamUrlFor);
    app.post('/exotel/stream-url', hidden, streamUrlFor);
    serve('exotel', (req) => verifyBasicAuth(req.headers.authorization, user, password));
  }

  if (config.plivo.authToken) {
    const token = config.plivo.authToken;
    const signed = (req: FastifyRequest, method: 'GET' | 'POST', base: string, params: Params) =>
      verifyPlivoSignatureV3(token, method, base + req.url, params, req.headers['x-plivo-signature-v3-nonce'], req.headers['x-plivo-signature-v3']);
    app.post('/plivo/answer', hidden, async (req: FastifyRequest, reply: FastifyReply) => {
      const params = (req.body ?? {}) as Params;
      if (!signed(req, 'POST', publicUrl, params)) throw forbidden();
      const minted = await mint(params.From, req.log);
      reply.type('text/xml');
      if (!minted) return plivoSpeakHangup(phrase('en', 'unknown_caller'), LOCALE.en);
      return plivoStreamXml(streamUrl(publicUrl, 'plivo', prefix), { token: minted.token }, wideband ? 'audio/x-l16;rate=16000' : 'audio/x-mulaw;rate=8000');
    });
    // Plivo signs the upgrade like a GET of the stream URL; accept it computed over either scheme.
    serve('plivo', (req) => signed(req, 'GET', websocketBase(publicUrl), {}) || signed(req, 'GET', publicUrl, {}));
  }
}
