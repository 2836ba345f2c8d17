import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { openAuthDatabase } from './auth/db.js';
import { PasswordHasher } from './auth/passwords.js';
import { AuthRepository } from './auth/repository.js';
import { AuthService } from './auth/service.js';
import { AccessTokens, type Clock } from './auth/tokens.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import authPlugin, { VOICE_SUBPROTOCOL } from './http/plugins/auth.js';
import errorsPlugin, { sendError, toPublicError } from './http/plugins/errors.js';
import securityHeaders from './http/plugins/security-headers.js';
import { authRoutes } from './http/routes/auth.js';
import { deviceRoutes } from './http/routes/devices.js';
import { chatRoutes } from './http/routes/chat.js';
import { healthRoutes } from './http/routes/health.js';
import { insightsRoutes } from './http/routes/insights.js';
import { profileRoutes } from './http/routes/profile.js';
import { reminderRoutes } from './http/routes/reminders.js';
import { summaryRoutes } from './http/routes/summary.js';
import { opsRoutes } from './http/routes/ops.js';
import { webRoutes } from './http/routes/web.js';
import { HealthService } from './health/service.js';
import { createHealthStore, createLocusGraph, type LocusGraph } from './locusgraph/index.js';
import { createLogger, genReqId } from './logger.js';
import { ReminderScheduler, type NotificationSink } from './reminders/scheduler.js';
import { createAlarmSync } from './reminders/sync.js';
import {
  AlertLedger,
  backfillPhoneRoutes,
  CallTokens,
  callingSink,
  missedDoseAlerter,
  phoneHashKey,
  phoneRouteListener,
  PhoneRoutes,
  streamUrl,
  telephonyRoutes,
  TwilioRest,
  type TelephonyRouteOptions,
} from './telephony/index.js';
import { voiceRoutes } from './http/routes/voice.js';
import { createAssistant } from '../graphs/assistant/index.js';
import { warmUpAssistant } from '../graphs/assistant/warmup.js';
import type { AssistantPort } from '../graphs/assistant/port.js';
import { createSttProvider, createTtsProvider } from './voice/providers/index.js';
import type { SttProvider, TtsProvider } from './voice/providers/types.js';
import { VoiceSessions } from './voice/registry.js';
import type { VoiceSessionOptions } from './voice/session.js';

export const JSON_BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  config: Config;
  /** A pino logger (tests pass one writing to a buffer); defaults to stdout at config.logLevel. */
  logger?: Logger;
  /** Injectable clock for token expiry, rotation and reminders. */
  now?: Clock;
  /**
   * Reminders: `start` indexes every user's alarms and catches up on start-up, `cron` ticks every
   * minute. The server turns both on; tests drive the scheduler by hand.
   */
  reminders?: { start?: boolean; cron?: boolean; catchUpWindowMs?: number; followUpGraceMs?: number };
  /** Replaces the LangGraph assistant (tests of assistant failure paths). */
  assistant?: AssistantPort;
  /** Replaces the configured speech providers (benchmarks). */
  stt?: SttProvider;
  tts?: TtsProvider;
  voice?: { session?: Partial<VoiceSessionOptions>; heartbeatMs?: number; idleTimeoutMs?: number };
  /** Where the built talk page lives (default dist/web). */
  webRoot?: string;
  /** Phone-call hooks for tests and benchmarks. */
  telephony?: Pick<TelephonyRouteOptions, 'onCall' | 'playoutSpeed'>;
}

export interface Services {
  auth: AuthService;
  locusgraph: LocusGraph;
  health: HealthService;
  reminders: ReminderScheduler;
  assistant: AssistantPort;
  stt: SttProvider;
  tts: TtsProvider;
  voiceSessions: VoiceSessions;
  telephony: { routes: PhoneRoutes; tokens: CallTokens; ledger: AlertLedger };
  /** Where due reminders go; the voice session registry replaces it when sockets are open. */
  notificationSink: { current: NotificationSink };
  /** Readiness probes: each returns true when its dependency answers. */
  readiness: Record<string, () => boolean | Promise<boolean>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
  }
}

export type PoddApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export async function buildApp(opts: AppOptions): Promise<PoddApp> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? createLogger(config.logLevel);

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Ids may be up to 128 characters; errors the router raises itself use our format too.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (err, _req, reply) => sendError(reply, toPublicError(err)),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only (routes that take audio register their own parsers): anything else is a 415.
  app.removeContentTypeParser('text/plain');

  const authDb = openAuthDatabase(config.dataDir, config.dataKey);
  const repo = new AuthRepository(authDb);
  const auth = new AuthService(
    repo,
    new PasswordHasher(config.auth.argon2),
    new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlS, now),
    config.auth.refreshTokenTtlS,
    now,
  );
  const locusgraph = createLocusGraph(config, { now });
  const health = new HealthService(createHealthStore(locusgraph, { now }), config.defaultTimezone, now);
  const voiceSessions = new VoiceSessions();
  const notificationSink: Services['notificationSink'] = { current: voiceSessions };
  const speechLog = logger.child({ component: 'speech' });
  const stt = opts.stt ?? createSttProvider(config, {}, { log: speechLog });
  const tts = opts.tts ?? createTtsProvider(config, {}, { log: speechLog });
  const assistant =
    opts.assistant ??
    createAssistant({ health, config, now, onStoreError: (err) => logger.warn({ err: { name: (err as Error)?.name } }, 'chat event not stored') });
  // Phone calls: a caller's number finds the account through keyed hashes in podd_auth.db.
  const phoneRoutes = new PhoneRoutes(authDb, phoneHashKey(config.dataKey), now);
  const callTokens = new CallTokens(authDb, now);
  health.onChange(phoneRouteListener(phoneRoutes));
  const twilio =
    config.twilio.accountSid && config.twilio.authToken
      ? new TwilioRest({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, baseUrl: config.twilio.apiUrl })
      : undefined;
  const calling = twilio && config.twilio.from && config.publicUrl ? { twilio, from: config.twilio.from, publicUrl: config.publicUrl } : undefined;
  const telephonyLog = logger.child({ component: 'telephony' });
  if (calling) {
    // Reminders for users who chose phone calls ring them when no device is listening.
    notificationSink.current = callingSink({
      live: voiceSessions,
      health,
      twilio: calling.twilio,
      from: calling.from,
      tokens: callTokens,
      streamUrl: streamUrl(calling.publicUrl, 'twilio'),
      log: telephonyLog,
      defaultCountryCode: config.telephony.defaultCountryCode,
      now,
    });
  }
  const alertLedger = new AlertLedger(authDb, now);
  const missedDose = calling
    ? missedDoseAlerter({ health, twilio: calling.twilio, from: calling.from, ledger: alertLedger, log: telephonyLog, defaultCountryCode: config.telephony.defaultCountryCode, afterMs: config.telephony.caregiverAlertAfterMs, now })
    : undefined;
  const reminders = new ReminderScheduler({
    overdue: missedDose && { afterMs: config.telephony.caregiverAlertAfterMs, check: missedDose },
    health,
    userIds: () => repo.allUserIds(),
    sink: { deliver: (userId, n) => notificationSink.current.deliver(userId, n) },
    now,
    log: logger,
    catchUpWindowMs: opts.reminders?.catchUpWindowMs ?? config.reminders.catchUpWindowMs,
    followUpGraceMs: opts.reminders?.followUpGraceMs ?? config.reminders.followUpGraceMs,
  });
  health.onChange(createAlarmSync(reminders, { defaultTimezone: config.defaultTimezone, now }));
  const services: Services = {
    auth,
    locusgraph,
    health,
    reminders,
    assistant,
    stt,
    tts,
    voiceSessions,
    telephony: { routes: phoneRoutes, tokens: callTokens, ledger: alertLedger },
    notificationSink,
    readiness: {
      auth_db: () => repo.ping(),
      // A read of a context that never exists: proves the store answers without touching user data.
      health_store: async () => (await locusgraph.getContext('readyz', 'probe:readyz')) === null,
    },
  };
  app.decorate('config', config);
  app.decorate('services', services);
  app.addHook('onReady', async () => {
    await backfillPhoneRoutes(phoneRoutes, health, repo.allUserIds());
  });
  if (!opts.assistant && config.assistant.warmupTurns > 0) {
    app.addHook('onReady', async () => {
      // Only an optimisation: a failure (say, no writable temp directory) must not stop the server.
      try {
        const warm = await warmUpAssistant({ turns: config.assistant.warmupTurns, defaultTimezone: config.defaultTimezone });
        logger.info({ turns: warm.turns, ms: warm.ms, routes: warm.routes }, 'assistant warmed up');
      } catch (err) {
        logger.warn({ err: { name: (err as Error)?.name, code: (err as NodeJS.ErrnoException)?.code } }, 'assistant warm-up skipped');
      }
    });
  }
  if (opts.reminders?.start) {
    app.addHook('onReady', async () => reminders.start({ cron: opts.reminders?.cron !== false }));
  }
  app.addHook('onClose', async () => {
    voiceSessions.closeAll();
    await reminders.stop();
    await Promise.allSettled([stt.close(), tts.close()]);
    await locusgraph.close();
    authDb.close();
  });
  // Both run on every request: callback-style hooks, which fastify calls without a promise.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  // During shutdown, responses to in-flight requests close their keep-alive connection, so the
  // server does not wait out the keep-alive timeout before it can exit.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  await app.register(errorsPlugin);
  await app.register(securityHeaders, {
    // /docs needs its own static assets only; everything else is JSON.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"] } },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, {
    origin: config.corsOrigins.length === 0 ? false : config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  await app.register(rateLimit, {
    global: true,
    // The limit headers go on 429s only (with Retry-After), not on every successful response.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    max: config.apiRateLimitPerMin,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', 'Too many requests, please slow down', {}, { headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) } }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Podd API', version: '1.0.0', description: 'Voice-first health assistant: auth, health data, chat and voice.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(websocket, {
    options: {
      maxPayload: 1024 * 1024,
      // Browsers offer `podd.v1, bearer.<jwt>`; answering with anything but podd.v1 would echo the token.
      handleProtocols: (protocols) => (protocols.has(VOICE_SUBPROTOCOL) ? VOICE_SUBPROTOCOL : false),
    },
  });
  await app.register(authPlugin, { auth });

  await app.register(opsRoutes, { readiness: services.readiness });
  // The talk page: public (it signs in through the API), with its own strict CSP.
  await app.register(webRoutes, { root: opts.webRoot });
  await app.register(authRoutes, {
    prefix: '/api/auth',
    auth,
    loginPerMin: config.auth.loginRateLimitPerMin,
    registerPerMin: config.auth.registerRateLimitPerMin,
  });
  // Provider webhooks and media streams cannot send our bearer token: they are verified by the
  // provider's own signature and a single-use call token instead.
  await app.register(telephonyRoutes, {
    prefix: '/api/telephony',
    config,
    health,
    tokens: callTokens,
    routes: phoneRoutes,
    stt,
    tts,
    assistant,
    sessions: voiceSessions,
    accountName: (id) => repo.userById(id)?.name,
    defaultLanguage: 'en-IN',
    defaultCountryCode: config.telephony.defaultCountryCode,
    wideband: config.telephony.wideband,
    session: { endSilenceMs: config.voice.endSilenceMs },
    now,
    ...opts.telephony,
  });
  // Everything registered in this scope requires a user: the hook runs in onRequest, so a
  // WebSocket upgrade without credentials is refused before it starts.
  await app.register(async (api) => {
    api.addHook('onRequest', api.authenticate);
    await api.register(deviceRoutes, { auth });
    await api.register(profileRoutes, { service: health });
    await api.register(healthRoutes, { service: health });
    await api.register(reminderRoutes, { service: health });
    await api.register(insightsRoutes, { service: health });
    await api.register(summaryRoutes, { service: health });
    await api.register(chatRoutes, { assistant, service: health });
    await api.register(voiceRoutes, {
      service: health,
      assistant,
      stt,
      tts,
      sessions: voiceSessions,
      defaultLanguage: 'en-IN',
      idleTimeoutMs: opts.voice?.idleTimeoutMs ?? config.voice.idleTimeoutMs,
      heartbeatMs: opts.voice?.heartbeatMs ?? 30_000,
      session: { endSilenceMs: config.voice.endSilenceMs, ...opts.voice?.session },
    });
  }, { prefix: '/api' });

  return app;
}
