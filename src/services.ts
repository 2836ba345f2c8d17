/**
 * The service graph: accounts, the health store, the assistant, speech, reminders and telephony,
 * built once from the config and the one clock. `buildApp` (app.ts) puts HTTP in front of it.
 */
import type { Logger } from 'pino';
import { createAssistant } from '../graphs/assistant/index.js';
import { warmUpAssistant } from '../graphs/assistant/warmup.js';
import { AccountService } from './auth/account.js';
import { openAuthDatabase } from './auth/db.js';
import { PasswordHasher } from './auth/passwords.js';
import { AuthRepository } from './auth/repository.js';
import { AuthService } from './auth/service.js';
import { AccessTokens, type Clock } from './auth/tokens.js';
import type { Config } from './config.js';
import { CareCircle } from './care/circle.js';
import { circleAlerts } from './care/recipients.js';
import { careAlertListener } from './health/care-alerts.js';
import { EmergencyDesk } from './health/emergencies.js';
import { missedDoseAlerter } from './health/missed-doses.js';
import { HealthService } from './health/service.js';
import { createHealthStore, createLocusGraph, type LocusGraph } from './locusgraph/index.js';
import { ReminderDelivery, type NotificationSink } from './reminders/delivery.js';
import { ReminderScheduler } from './reminders/scheduler.js';
import { createAlarmSync } from './reminders/sync.js';
import { backfillPhoneRoutes, type AlertLedger, type CallTokens, type PhoneRoutes } from './telephony/index.js';
import { telephonyServices } from './telephony/services.js';
import type { AssistantPort } from '../graphs/assistant/port.js';
import { createSttProvider, createTtsProvider } from './voice/providers/index.js';
import type { SttProvider, TtsProvider } from './voice/providers/types.js';
import { VoiceSessions } from './voice/registry.js';

export interface Services {
  auth: AuthService;
  /** Device revocation, password change, export and deletion, with their effects beyond podd_auth.db. */
  account: AccountService;
  locusgraph: LocusGraph;
  health: HealthService;
  reminders: ReminderScheduler;
  assistant: AssistantPort;
  stt: SttProvider;
  tts: TtsProvider;
  voiceSessions: VoiceSessions;
  telephony: { routes: PhoneRoutes; tokens: CallTokens; ledger: AlertLedger };
  /** Who may look after whom (podd_auth.db). */
  care: CareCircle;
  /** The accounts, for routes that name people (the care circle). */
  accounts: AuthRepository;
  /** Due reminders to live sessions and calls; the one writer of `delivered_at`. */
  delivery: ReminderDelivery;
  /** Urgent readings recorded as alerts and texted to the family (care-alerts.ts). */
  careAlerts: { settled(): Promise<void> };
  /** Emergencies told to the family by text and call (emergencies.ts). */
  emergencies: EmergencyDesk;
  /** The account's name, for greetings when the profile has none. */
  accountName: (userId: string) => string | undefined;
  /** Readiness probes: each returns true when its dependency answers. */
  readiness: Record<string, () => boolean | Promise<boolean>>;
}

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  now: Clock;
  /** See AppOptions. */
  reminders?: { start?: boolean; cron?: boolean; catchUpWindowMs?: number; followUpGraceMs?: number };
  assistant?: AssistantPort;
  stt?: SttProvider;
  tts?: TtsProvider;
  notificationSink?: NotificationSink;
}

export interface ServiceGraph {
  services: Services;
  /** Once the server is ready: phone routes backfilled, the assistant warmed up, reminders started. */
  ready(): Promise<void>;
  /** Closes sessions, the scheduler, speech, the store and the accounts database, in that order. */
  close(): Promise<void>;
}

export function buildServices(opts: ServiceOptions): ServiceGraph {
  const { config, logger, now } = opts;
  const authDb = openAuthDatabase(config.dataDir, config.dataKey);
  const repo = new AuthRepository(authDb);
  const auth = new AuthService(
    repo,
    new PasswordHasher(config.auth.argon2),
    new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlS, now),
    config.auth.refreshTokenTtlS,
    now,
  );
  const care = new CareCircle(authDb, now);
  const locusgraph = createLocusGraph(config, { now });
  const health = new HealthService(createHealthStore(locusgraph, { now }), config.defaultTimezone, now);
  const voiceSessions = new VoiceSessions();
  const speechLog = logger.child({ component: 'speech' });
  const stt = opts.stt ?? createSttProvider(config, {}, { log: speechLog });
  const tts = opts.tts ?? createTtsProvider(config, {}, { log: speechLog });
  const telephony = telephonyServices({ config, authDb, health, live: voiceSessions, now, log: logger.child({ component: 'telephony' }) });
  const claim = (userId: string, key: string, windowMs: number) => telephony.ledger.claimWindow(userId, key, windowMs);
  // Alerts also reach the person's caregivers who were given the `alerts` scope.
  const circle = circleAlerts(care, repo, health);
  const emergencies = new EmergencyDesk({ defaultTimezone: config.defaultTimezone, now, log: logger.child({ component: 'emergencies' }), messenger: telephony.messenger, claim, circle });
  const assistant =
    opts.assistant ??
    createAssistant({ health, config, now, emergencies, onStoreError: (err) => logger.warn({ err: { name: (err as Error)?.name } }, 'chat event not stored') });
  const careAlerts = careAlertListener({
    defaultTimezone: config.defaultTimezone,
    now,
    log: logger.child({ component: 'care-alerts' }),
    messenger: telephony.messenger,
    claim,
    emergencies,
    circle,
  });
  health.onChange(careAlerts);
  const delivery = new ReminderDelivery({ health, sink: opts.notificationSink ?? telephony.sink, now, log: logger });
  // A dose not logged an hour after its time: an alert, and texts to those who asked for them.
  const overdue = missedDoseAlerter({
    health,
    claim: (userId, notificationId) => telephony.ledger.claim(userId, notificationId),
    log: logger.child({ component: 'missed-doses' }),
    defaultTimezone: config.defaultTimezone,
    messenger: telephony.messenger,
    circle,
    afterMs: config.telephony.caregiverAlertAfterMs,
    now,
  });
  const reminders = new ReminderScheduler({
    overdue,
    health,
    userIds: () => repo.allUserIds(),
    delivery,
    now,
    log: logger,
    catchUpWindowMs: opts.reminders?.catchUpWindowMs ?? config.reminders.catchUpWindowMs,
    followUpGraceMs: opts.reminders?.followUpGraceMs ?? config.reminders.followUpGraceMs,
  });
  health.onChange(createAlarmSync(reminders, { defaultTimezone: config.defaultTimezone, now }));
  const account = new AccountService({
    auth,
    repo,
    db: authDb,
    health,
    sessions: voiceSessions,
    reminders,
    telephony,
    now,
    log: logger.child({ component: 'account' }),
  });

  const services: Services = {
    auth,
    account,
    locusgraph,
    health,
    reminders,
    assistant,
    stt,
    tts,
    voiceSessions,
    telephony: { routes: telephony.routes, tokens: telephony.tokens, ledger: telephony.ledger },
    care,
    accounts: repo,
    delivery,
    careAlerts,
    emergencies,
    accountName: (id) => repo.userById(id)?.name,
    readiness: {
      auth_db: () => repo.ping(),
      // A read of a context that never exists: proves the store answers without touching user data.
      health_store: async () => (await locusgraph.getContext('readyz', 'probe:readyz')) === null,
    },
  };

  return {
    services,
    async ready() {
      await backfillPhoneRoutes(telephony.routes, health, repo.allUserIds());
      if (!opts.assistant && config.assistant.warmupTurns > 0) {
        // Only an optimisation: a failure (say, no writable temp directory) must not stop the server.
        try {
          const warm = await warmUpAssistant({ turns: config.assistant.warmupTurns, defaultTimezone: config.defaultTimezone });
          logger.info({ turns: warm.turns, ms: warm.ms, routes: warm.routes }, 'assistant warmed up');
        } catch (err) {
          logger.warn({ err: { name: (err as Error)?.name, code: (err as NodeJS.ErrnoException)?.code } }, 'assistant warm-up skipped');
        }
      }
      if (opts.reminders?.start) await reminders.start({ cron: opts.reminders.cron !== false });
    },
    async close() {
      voiceSessions.closeAll();
      await reminders.stop();
      await careAlerts.settled();
      await emergencies.settled();
      await Promise.allSettled([stt.close(), tts.close()]);
      await locusgraph.close();
      authDb.close();
    },
  };
}
