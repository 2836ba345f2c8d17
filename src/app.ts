import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Clock } from './auth/tokens.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import authPlugin, { VOICE_SUBPROTOCOL } from './http/plugins/auth.js';
import errorsPlugin, { sendError, toPublicError } from './http/plugins/errors.js';
import securityHeaders from './http/plugins/security-headers.js';
import { accountRoutes } from './http/routes/account.js';
import { authRoutes } from './http/routes/auth.js';
import { careRoutes } from './http/routes/care.js';
import { deviceRoutes } from './http/routes/devices.js';
import { chatRoutes } from './http/routes/chat.js';
import { healthRoutes } from './http/routes/health.js';
import { insightsRoutes } from './http/routes/insights.js';
import { profileRoutes } from './http/routes/profile.js';
import { reminderRoutes } from './http/routes/reminders.js';
import { summaryRoutes } from './http/routes/summary.js';
import { opsRoutes } from './http/routes/ops.js';
import { webRoutes } from './http/routes/web.js';
import { createLogger, genReqId } from './logger.js';
import type { NotificationSink } from './reminders/delivery.js';
import { telephonyRoutes, type TelephonyRouteOptions } from './telephony/index.js';
import { voiceRoutes } from './http/routes/voice.js';
import type { AssistantPort } from '../graphs/assistant/port.js';
import type { SttProvider, TtsProvider } from './voice/providers/types.js';
import type { VoiceSessionOptions } from './voice/session.js';
import { buildServices, type Services } from './services.js';

export type { Services } from './services.js';

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
  /** Replaces where due reminders go (live sessions, then calls): tests record them instead. */
  notificationSink?: NotificationSink;
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

  const graph = buildServices({
    config,
    logger,
    now,
    reminders: opts.reminders,
    assistant: opts.assistant,
    stt: opts.stt,
    tts: opts.tts,
    notificationSink: opts.notificationSink,
  });
  const { services } = graph;
  const { auth, account, health, assistant, stt, tts, voiceSessions, delivery } = services;
  app.decorate('config', config);
  app.decorate('services', services);
  app.addHook('onReady', () => graph.ready());
  app.addHook('onClose', () => graph.close());
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
    tokens: services.telephony.tokens,
    routes: services.telephony.routes,
    stt,
    tts,
    assistant,
    sessions: voiceSessions,
    delivery,
    accountName: services.accountName,
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
    // Routes that declare `config.allow` (USER_ONLY: account control) refuse other credentials with 403.
    await api.register(deviceRoutes, { auth, account });
    await api.register(careRoutes, { circle: services.care, accounts: services.accounts, service: health });
    await api.register(accountRoutes, { account, passwordAttemptsPerMin: config.auth.loginRateLimitPerMin });
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
      delivery,
      defaultLanguage: 'en-IN',
      idleTimeoutMs: opts.voice?.idleTimeoutMs ?? config.voice.idleTimeoutMs,
      heartbeatMs: opts.voice?.heartbeatMs ?? 30_000,
      session: { endSilenceMs: config.voice.endSilenceMs, ...opts.voice?.session },
    });
  }, { prefix: '/api' });

  return app;
}
