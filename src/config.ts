import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './locusgraph/zoned-time.js';

/** Parses "900", "90s", "15m", "12h", "30d" into seconds. */
export function parseDurationSeconds(value: string): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 's' ? 1 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 86400;
  return n * factor;
}

const duration = (min: number, max: number) =>
  z.string().transform((v, ctx) => {
    const s = parseDurationSeconds(v);
    if (s === undefined || s < min || s > max) {
      ctx.addIssue({ code: 'custom', message: `must be a duration like 15m or 30d between ${min}s and ${max}s` });
      return z.NEVER;
    }
    return s;
  });

const intIn = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min).max(max);

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const optionalUrl = z.url({ error: 'must be an absolute URL' }).optional();


const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: intIn(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PODD_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: optionalUrl,
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: bool.default(false),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: duration(10, 24 * 3600).default(15 * 60),
  REFRESH_TOKEN_TTL: duration(60, 365 * 86400).default(30 * 86400),
  PODD_DATA_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  ARGON2_MEMORY_KIB: intIn(19_456, 1_048_576).default(19_456),
  ARGON2_TIME_COST: intIn(2, 10).default(2),
  LOGIN_RATE_LIMIT_PER_MIN: intIn(1, 10_000).default(5),
  REGISTER_RATE_LIMIT_PER_MIN: intIn(1, 10_000).default(5),
  API_RATE_LIMIT_PER_MIN: intIn(1, 1_000_000).default(600),

  VOICE_END_SILENCE_MS: intIn(100, 3000).default(400),
  VOICE_IDLE_TIMEOUT: duration(10, 24 * 3600).default(300),
  REMINDER_CATCHUP_WINDOW: duration(0, 7 * 86400).default(6 * 3600),
  REMINDER_FOLLOW_UP_GRACE: duration(60, 24 * 3600).default(30 * 60),

  DEFAULT_TIMEZONE: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Kolkata')
    .default('Asia/Kolkata'),

  LOCUSGRAPH_URL: optionalUrl,
  LOCUSGRAPH_AGENT_SECRET: z.string().min(1).optional(),
  LOCUSGRAPH_TIMEOUT_MS: intIn(100, 120_000).default(5_000),

  STT_PROVIDER: z.enum(['local', 'sarvam']).default('local'),
  TTS_PROVIDER: z.enum(['local', 'sarvam']).default('local'),
  SARVAM_API_KEY: z.string().min(1).optional(),
  SARVAM_BASE_URL: z.url({ error: 'must be an absolute URL' }).default('https://api.sarvam.ai'),
  SARVAM_STT_MODE: z.enum(['stream', 'rest']).default('stream'),
  SARVAM_STT_MODEL: z.enum(['saaras:v3', 'saaras:v4', 'saarika:v2.5', 'saaras:v2.5']).optional(),
  SARVAM_STT_LANGUAGE: z.string().regex(/^(unknown|session|[a-z]{2,3}-IN)$/, 'must be unknown, session or a code such as hi-IN').default('unknown'),
  SARVAM_STT_TRANSLATE: bool.default(false),
  SARVAM_TTS_MODE: z.enum(['stream', 'rest']).default('stream'),
  SARVAM_TTS_MODEL: z.enum(['bulbul:v3', 'bulbul:v2']).default('bulbul:v3'),
  SARVAM_TTS_SPEAKER: z.string().regex(/^[a-z]+$/, 'must be a Sarvam speaker such as shubh').optional(),
  SARVAM_TTS_PACE: z.coerce.number({ error: 'must be a number' }).min(0.3).max(3).optional(),
  SARVAM_TTS_SAMPLE_RATE: z.coerce
    .number()
    .int()
    .refine((r) => [8000, 16000, 22050, 24000, 32000, 44100, 48000].includes(r), 'must be a Sarvam sample rate')
    .optional(),
  SARVAM_TIMEOUT_MS: intIn(500, 60_000).default(5_000),

  LLM_PROVIDER: z.enum(['none', 'sarvam', 'openai']).default('none'),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: intIn(100, 60_000).default(3_000),
  /** Unset: 300 turns, none under NODE_ENV=test (every test app would pay the second). */
  ASSISTANT_WARMUP_TURNS: intIn(0, 5_000).optional(),

  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
  TWILIO_API_URL: z.url({ error: 'must be an absolute URL' }).default('https://api.twilio.com'),
  TELEPHONY_DEFAULT_COUNTRY_CODE: z.string().regex(/^[1-9]\d{0,2}$/, 'must be a country calling code such as 91').default('91'),
  TELEPHONY_WIDEBAND: bool.default(true),
  CAREGIVER_ALERT_AFTER: duration(60, 24 * 3600).default(3600),
  EXOTEL_STREAM_USER: z.string().min(1).optional(),
  EXOTEL_STREAM_PASSWORD: z.string().min(1).optional(),
  PLIVO_AUTH_ID: z.string().min(1).optional(),
  PLIVO_AUTH_TOKEN: z.string().min(1).optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  publicUrl?: string;
  corsOrigins: string[];
  trustProxy: boolean;
  auth: {
    jwtSecret: Uint8Array;
    accessTokenTtlS: number;
    refreshTokenTtlS: number;
    argon2: { memoryCost: number; timeCost: number; parallelism: number };
    loginRateLimitPerMin: number;
    registerRateLimitPerMin: number;
  };
  apiRateLimitPerMin: number;
  /** 32 raw bytes; encrypts the SQLite files at rest. */
  dataKey: Buffer;
  defaultTimezone: string;
  reminders: { catchUpWindowMs: number; followUpGraceMs: number };
  voice: { endSilenceMs: number; idleTimeoutMs: number };
  locusgraph: { mode: 'embedded' } | { mode: 'hosted'; url: string; agentSecret: string; timeoutMs: number };
  stt: { provider: 'local' | 'sarvam' };
  tts: { provider: 'local' | 'sarvam' };
  sarvam: {
    apiKey?: string;
    baseUrl: string;
    sttMode: 'stream' | 'rest';
    sttModel?: string;
    sttLanguage: string;
    sttTranslate: boolean;
    ttsMode: 'stream' | 'rest';
    ttsModel: string;
    ttsSpeaker?: string;
    ttsPace?: number;
    ttsSampleRate?: number;
    timeoutMs: number;
  };
  llm: { provider: 'none' | 'sarvam' | 'openai'; baseUrl?: string; apiKey?: string; model?: string; timeoutMs: number };
  /** Offline turns run on a throwaway store before the server listens (JIT warm-up). */
  assistant: { warmupTurns: number };
  twilio: { accountSid?: string; authToken?: string; from?: string; apiUrl: string };
  telephony: { defaultCountryCode: string; wideband: boolean; caregiverAlertAfterMs: number };
  exotel: { streamUser?: string; streamPassword?: string };
  plivo: { authId?: string; authToken?: string };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a secret from the data dir, creating it (0600) on first start so that restarts keep
 * sessions valid and the store readable.
 */
export function loadOrCreateSecret(dataDir: string, name: string, bytes = 32): Buffer {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  try {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]+$/i.test(hex) || hex.length !== bytes * 2) {
      throw new ConfigError(`${file} is corrupt: expected ${bytes * 2} hex characters`);
    }
    return Buffer.from(hex, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = randomBytes(bytes);
  // wx: never overwrite a secret another process created in the meantime.
  try {
    writeFileSync(file, value.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(dataDir, name, bytes);
    throw err;
  }
  chmodSync(file, 0o600);
  return value;
}

/** Validates the environment. Throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as most deployment tools write them for blank values.
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
  }
  const e = parsed.data;
  if ((e.LOCUSGRAPH_URL === undefined) !== (e.LOCUSGRAPH_AGENT_SECRET === undefined)) {
    throw new ConfigError('Invalid configuration: LOCUSGRAPH_URL and LOCUSGRAPH_AGENT_SECRET must be set together');
  }
  if ((e.STT_PROVIDER === 'sarvam' || e.TTS_PROVIDER === 'sarvam' || e.LLM_PROVIDER === 'sarvam') && !e.SARVAM_API_KEY) {
    throw new ConfigError('Invalid configuration: SARVAM_API_KEY is required when a Sarvam provider is selected');
  }
  if (e.LLM_PROVIDER === 'openai' && (!e.LLM_BASE_URL || !e.LLM_MODEL)) {
    throw new ConfigError('Invalid configuration: LLM_BASE_URL and LLM_MODEL are required when LLM_PROVIDER=openai');
  }

  const dataDir = resolve(e.PODD_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const jwtSecret = e.JWT_SECRET
    ? new TextEncoder().encode(e.JWT_SECRET)
    : new Uint8Array(loadOrCreateSecret(dataDir, 'jwt_secret', 32));
  const dataKey = e.PODD_DATA_KEY ? Buffer.from(e.PODD_DATA_KEY, 'hex') : loadOrCreateSecret(dataDir, 'data_key', 32);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    auth: {
      jwtSecret,
      accessTokenTtlS: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlS: e.REFRESH_TOKEN_TTL,
      argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: 1 },
      loginRateLimitPerMin: e.LOGIN_RATE_LIMIT_PER_MIN,
      registerRateLimitPerMin: e.REGISTER_RATE_LIMIT_PER_MIN,
    },
    apiRateLimitPerMin: e.API_RATE_LIMIT_PER_MIN,
    dataKey,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    voice: { endSilenceMs: e.VOICE_END_SILENCE_MS, idleTimeoutMs: e.VOICE_IDLE_TIMEOUT * 1000 },
    reminders: { catchUpWindowMs: e.REMINDER_CATCHUP_WINDOW * 1000, followUpGraceMs: e.REMINDER_FOLLOW_UP_GRACE * 1000 },
    locusgraph:
      e.LOCUSGRAPH_URL && e.LOCUSGRAPH_AGENT_SECRET
        ? { mode: 'hosted', url: e.LOCUSGRAPH_URL.replace(/\/+$/, ''), agentSecret: e.LOCUSGRAPH_AGENT_SECRET, timeoutMs: e.LOCUSGRAPH_TIMEOUT_MS }
        : { mode: 'embedded' },
    stt: { provider: e.STT_PROVIDER },
    tts: { provider: e.TTS_PROVIDER },
    sarvam: {
      apiKey: e.SARVAM_API_KEY,
      baseUrl: e.SARVAM_BASE_URL.replace(/\/+$/, ''),
      sttMode: e.SARVAM_STT_MODE,
      sttModel: e.SARVAM_STT_MODEL,
      sttLanguage: e.SARVAM_STT_LANGUAGE,
      sttTranslate: e.SARVAM_STT_TRANSLATE,
      ttsMode: e.SARVAM_TTS_MODE,
      ttsModel: e.SARVAM_TTS_MODEL,
      ttsSpeaker: e.SARVAM_TTS_SPEAKER,
      ttsPace: e.SARVAM_TTS_PACE,
      ttsSampleRate: e.SARVAM_TTS_SAMPLE_RATE,
      timeoutMs: e.SARVAM_TIMEOUT_MS,
    },
    llm: {
      provider: e.LLM_PROVIDER,
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
    },
    assistant: { warmupTurns: e.ASSISTANT_WARMUP_TURNS ?? (e.NODE_ENV === 'test' ? 0 : 300) },
    twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiUrl: e.TWILIO_API_URL.replace(/\/+$/, '') },
    telephony: { defaultCountryCode: e.TELEPHONY_DEFAULT_COUNTRY_CODE, wideband: e.TELEPHONY_WIDEBAND, caregiverAlertAfterMs: e.CAREGIVER_ALERT_AFTER * 1000 },
    exotel: { streamUser: e.EXOTEL_STREAM_USER, streamPassword: e.EXOTEL_STREAM_PASSWORD },
    plivo: { authId: e.PLIVO_AUTH_ID, authToken: e.PLIVO_AUTH_TOKEN },
  };
}

/** Every variable the service reads, for the README and `--help` style listings. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
