/**
 * The reminder scheduler. An in-memory index (min-heap) holds the next fire time of every active
 * alarm of every user; a node-cron tick on each minute pops what is due. Nothing scans every
 * alarm each minute. Exactly-once comes from the store: a fire writes one notification whose id
 * is derived from (alarm, local date, local time), and a second writer — another instance, or
 * this one after a restart — gets CONFLICT and skips delivery.
 */
import { createHash } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { FastifyBaseLogger } from 'fastify';
import { isAppError } from '../errors.js';
import { doseLoggedSince } from '../health/doses.js';
import { bareId, type HealthService, type UserHealth } from '../health/service.js';
import type { NotificationItem } from './delivery.js';
import { stripMeta, type HealthItem, type UserHealthStore } from '../locusgraph/health.js';
import type { ReminderDelivery } from './delivery.js';
import { MinHeap } from './heap.js';
import { firesBetween, nextFire, type Fire } from './schedule.js';
import { renderReminder } from '../../prompts/reminders.js';

export interface SchedulerOptions {
  health: HealthService;
  /** Every user whose alarms should be indexed (from podd_auth.db). */
  userIds: () => Iterable<string>;
  /** Where a fired reminder goes (live sessions, calls) and who records it as delivered. */
  delivery: ReminderDelivery;
  now?: () => number;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Fires missed while down are delivered (late) up to this age; older ones are recorded as missed. */
  catchUpWindowMs?: number;
  /** How far back a start looks for missed fires at all. */
  missedLookbackMs?: number;
  /** A medication reminder with no dose logged after this gets one follow-up. */
  followUpGraceMs?: number;
  /**
   * A later check on the same medication reminders (the caregiver alert): `check` runs once at
   * fire + afterMs and decides for itself (idempotently) whether anything is owed.
   */
  overdue?: { afterMs: number; check(userId: string, notificationId: string): Promise<unknown> };
}

interface AlarmEntry {
  kind: 'alarm';
  userId: string;
  alarmId: string;
  fire: Fire;
  seq: number;
}

interface FollowUpEntry {
  kind: 'follow_up' | 'overdue';
  userId: string;
  notificationId: string;
  at: number;
  seq: number;
}

type Entry = AlarmEntry | FollowUpEntry;

export interface TickStats {
  fired: number;
  skipped: number;
  followUps: number;
}

const NOOP_LOG = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Fires handled at once within a tick. */
const TICK_CONCURRENCY = 64;

type Alarm = HealthItem<'alarm'>;
type Notification = HealthItem<'notification'>;

/** The notification id for one fire of one alarm: the exactly-once key. */
export function fireNotificationId(alarmId: string, fire: Pick<Fire, 'localDate' | 'localTime'>): string {
  return 'fire-' + createHash('sha256').update(`${alarmId}|${fire.localDate}|${fire.localTime}`).digest('hex').slice(0, 32);
}


export class ReminderScheduler {
  private readonly heap = new MinHeap();
  private readonly entries = new Map<string, Entry>();
  private readonly tz = new Map<string, string>();
  private seq = 0;
  private task?: ScheduledTask;
  private ticking?: Promise<TickStats>;
  private readonly now: () => number;
  private readonly log;
  private readonly windowMs: number;
  private readonly lookbackMs: number;
  private readonly graceMs: number;

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? NOOP_LOG;
    this.windowMs = opts.catchUpWindowMs ?? 6 * 3600_000;
    this.lookbackMs = Math.max(opts.missedLookbackMs ?? 24 * 3600_000, this.windowMs);
    this.graceMs = opts.followUpGraceMs ?? 30 * 60_000;
  }

  /** Indexes every user's alarms, delivers what was missed while down, then ticks every minute. */
  async start(options: { cron?: boolean } = {}): Promise<void> {
    const t0 = performance.now();
    let users = 0;
    for (const userId of this.opts.userIds()) {
      users++;
      await this.indexUser(userId, { catchUp: true });
    }
    this.log.info({ users, alarms: this.entries.size, ms: Math.round(performance.now() - t0) }, 'reminders indexed');
    if (options.cron !== false) {
      this.task = cron.schedule('* * * * *', () => void this.tick().catch((err) => this.log.error({ err }, 'reminder tick failed')), {
        noOverlap: true,
      } as Parameters<typeof cron.schedule>[2]);
    }
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = undefined;
    await this.ticking;
  }

  /** Number of entries in the index (alarms with a future fire, pending follow-ups). */
  get indexed(): number {
    return this.entries.size;
  }

  /** The next time anything is due, for tests and diagnostics. */
  nextDueAt(): number | undefined {
    this.dropStale();
    return this.heap.peek()?.at;
  }

  /** Fires everything due at `now`. Serialised: a slow tick delays the next, never overlaps it. */
  tick(): Promise<TickStats> {
    const run = (this.ticking ?? Promise.resolve()).then(() => this.runTick());
    this.ticking = run.catch(() => ({ fired: 0, skipped: 0, followUps: 0 }));
    return run;
  }

  /** Re-reads one alarm (after a create, change or delete) and re-indexes it. */
  async alarmChanged(userId: string, alarmId: string): Promise<void> {
    const alarm = await this.opts.health.forUser(userId).get('alarm', alarmId);
    if (!alarm) {
      this.entries.delete(`a|${userId}|${alarmId}`);
      return;
    }
    this.indexAlarm(userId, alarm, await this.timezone(userId, true), this.now());
  }

  /** Re-indexes all of a user's alarms (a new time zone, a new account). */
  async userChanged(userId: string): Promise<void> {
    await this.indexUser(userId, { catchUp: false, refreshTz: true });
  }

  /**
   * Drops everything indexed for the user (account deletion): none of their alarms, follow-ups
   * or caregiver checks fires again. A fire already running finishes against a deleted graph.
   */
  forgetUser(userId: string): void {
    for (const [key, entry] of [...this.entries]) if (entry.userId === userId) this.entries.delete(key);
    this.tz.delete(userId);
    this.dropStale();
  }

  private async runTick(): Promise<TickStats> {
    const now = this.now();
    const stats: TickStats = { fired: 0, skipped: 0, followUps: 0 };
    // Everything due fires concurrently (the store batches the writes into shared commits);
    // what firing schedules for "now" (a late follow-up) is picked up by the next round.
    for (;;) {
      const due: Entry[] = [];
      for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
        this.heap.pop();
        const entry = this.entries.get(top.key);
        if (!entry || entry.seq !== top.seq) continue;
        this.entries.delete(top.key);
        due.push(entry);
      }
      if (due.length === 0) return stats;
      for (let i = 0; i < due.length; i += TICK_CONCURRENCY) {
        await Promise.all(due.slice(i, i + TICK_CONCURRENCY).map((entry) => this.runEntry(entry, now, stats)));
      }
    }
  }

  private async runEntry(entry: Entry, now: number, stats: TickStats): Promise<void> {
    try {
      if (entry.kind === 'alarm') {
        if (await this.fireAlarmEntry(entry, now)) stats.fired++;
        else stats.skipped++;
      } else if (entry.kind === 'overdue') {
        await this.opts.overdue?.check(entry.userId, entry.notificationId);
      } else if (await this.followUp(entry)) {
        stats.followUps++;
      }
    } catch (err) {
      // One user's failure must not stop everyone else's reminders.
      this.log.error({ err, userId: entry.userId }, 'reminder fire failed');
    }
  }

  private async indexUser(userId: string, o: { catchUp: boolean; refreshTz?: boolean }) {
    const health = this.opts.health.forUser(userId);
    const tz = await this.timezone(userId, o.refreshTz === true);
    const now = this.now();
    for (const key of [...this.entries.keys()]) if (key.startsWith(`a|${userId}|`)) this.entries.delete(key);
    for (const alarm of (await health.all('alarm'))) {
      if (o.catchUp) await this.catchUp(health, alarm, tz, now);
      this.indexAlarm(userId, alarm, tz, now);
    }
  }

  private indexAlarm(userId: string, alarm: Alarm, tz: string, after: number) {
    const key = `a|${userId}|${alarm.id}`;
    const fire = nextFire(alarm, tz, after);
    if (!fire) {
      this.entries.delete(key);
      return;
    }
    this.put(key, { kind: 'alarm', userId, alarmId: alarm.id, fire, seq: 0 }, fire.at);
  }

  private put(key: string, entry: Entry, at: number) {
    entry.seq = ++this.seq;
    this.entries.set(key, entry);
    this.heap.push({ at, key, seq: entry.seq });
  }

  private dropStale() {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      const e = this.entries.get(top.key);
      if (e && e.seq === top.seq) return;
      this.heap.pop();
    }
  }

  private async timezone(userId: string, refresh = false): Promise<string> {
    let tz = refresh ? undefined : this.tz.get(userId);
    if (!tz) {
      tz = await this.opts.health.forUser(userId).timezone();
      this.tz.set(userId, tz);
    }
    return tz;
  }

  /** Fires that came due while we were not running: recent ones late, older ones recorded as missed. */
  private async catchUp(health: UserHealth, alarm: Alarm, tz: string, now: number) {
    const since = Math.max(now - this.lookbackMs, Date.parse(alarm.created_at));
    for (const fire of firesBetween(alarm, tz, since, now)) {
      const late = now - fire.at <= this.windowMs;
      const item = await this.writeFire(health, alarm, fire, late ? { late: true } : { missed: true });
      if (!item) {
        // Fired before the restart: its follow-up may still be owed (followUp() is idempotent).
        if (late) this.scheduleFollowUp(health.userId, alarm, fire, fireNotificationId(alarm.id, fire));
        continue;
      }
      if (late) await this.afterFire(health, alarm, fire, item);
      else if (!this.hasDays(alarm)) await this.deactivate(health, alarm);
    }
  }

  private async fireAlarmEntry(entry: AlarmEntry, now: number): Promise<boolean> {
    const health = this.opts.health.forUser(entry.userId);
    const alarm = (await health.get('alarm', entry.alarmId));
    if (!alarm || alarm.active === false) return false;
    const tz = await this.timezone(entry.userId);
    // A tick that comes long after the fire (the process was suspended) records it instead of speaking it.
    const lag = now - entry.fire.at;
    const flags = lag > this.windowMs ? { missed: true } : lag > 60_000 ? { late: true } : {};
    const item = await this.writeFire(health, alarm, entry.fire, flags);
    if (item && !flags.missed) await this.afterFire(health, alarm, entry.fire, item);
    else if (item && !this.hasDays(alarm)) await this.deactivate(health, alarm);
    const next = nextFire(alarm, tz, entry.fire.at);
    if (next && this.hasDays(alarm)) {
      this.put(`a|${entry.userId}|${alarm.id}`, { kind: 'alarm', userId: entry.userId, alarmId: alarm.id, fire: next, seq: 0 }, next.at);
    }
    return item !== null;
  }

  /** Writes the notification for a fire; null when another writer already did (CONFLICT). */
  private async writeFire(health: UserHealth, alarm: Alarm, fire: Fire, flags: { late?: boolean; missed?: boolean }) {
    const payload: Record<string, unknown> = {
      alarm_id: `alarm:${alarm.id}`,
      title: alarm.title,
      message: (alarm.message as string | undefined) ?? alarm.title,
      type: alarm.type,
      read: false,
      fire_at: new Date(fire.at).toISOString(),
      ...(alarm.reference_id ? { reference_id: alarm.reference_id } : {}),
      ...flags,
    };
    try {
      return (await health.store.storeEvent('notification', payload, { id: fireNotificationId(alarm.id, fire), source: 'system' }));
    } catch (err) {
      if (isAppError(err) && err.code === 'CONFLICT') return null;
      throw err;
    }
  }

  private async afterFire(health: UserHealth, alarm: Alarm, fire: Fire, item: Notification) {
    await this.opts.delivery.deliver(health.userId, item);
    this.scheduleFollowUp(health.userId, alarm, fire, item.id);
    if (!this.hasDays(alarm)) await this.deactivate(health, alarm);
  }

  private scheduleFollowUp(userId: string, alarm: Alarm, fire: Fire, notificationId: string) {
    if (alarm.type !== 'medication' || typeof alarm.reference_id !== 'string' || !alarm.reference_id.startsWith('med_schedule:')) return;
    const at = fire.at + this.graceMs;
    this.put(`f|${userId}|${notificationId}`, { kind: 'follow_up', userId, notificationId, at, seq: 0 }, at);
    if (this.opts.overdue) {
      const late = fire.at + this.opts.overdue.afterMs;
      this.put(`o|${userId}|${notificationId}`, { kind: 'overdue', userId, notificationId, at: late, seq: 0 }, late);
    }
  }

  private hasDays(alarm: Alarm) {
    return Array.isArray(alarm.days_of_week) && alarm.days_of_week.length > 0;
  }

  private async deactivate(health: UserHealth, alarm: Alarm) {
    await health.store.updateEvent('alarm', alarm.id, { ...stripMeta(alarm), active: false });
    this.entries.delete(`a|${health.userId}|${alarm.id}`);
  }

  /** Writes a one-off notification under an idempotency id and delivers it; null when it already existed. */
  async notify(store: UserHealthStore, payload: Record<string, unknown>, id: string): Promise<NotificationItem | null> {
    let item: NotificationItem;
    try {
      item = (await store.storeEvent('notification', payload, { id, source: 'system' }));
    } catch (err) {
      if (isAppError(err) && err.code === 'CONFLICT') return null;
      throw err;
    }
    await this.opts.delivery.deliver(store.userId, item);
    return item;
  }

  /** One follow-up for a medication reminder whose dose was not logged within the grace period. */
  private async followUp(entry: FollowUpEntry): Promise<boolean> {
    const health = this.opts.health.forUser(entry.userId);
    const original = (await health.get('notification', entry.notificationId));
    if (!original || typeof original.reference_id !== 'string') return false;
    const schedule = (await health.get('med_schedule', bareId(original.reference_id)));
    if (!schedule) return false;
    if (await doseLoggedSince(health, schedule, Date.parse(original.fire_at as string))) return false;
    const medication = (await health.get('medication', bareId(schedule.medication_id)));
    const { lang } = await health.preferences();
    const values = { name: (medication?.name as string | undefined) ?? (lang === 'hi' ? 'दवा' : 'your medicine') };
    try {
      const item = (await health.store.storeEvent(
        'notification',
        {
          alarm_id: original.alarm_id,
          title: renderReminder(lang, 'medication.follow_up.title', values),
          message: renderReminder(lang, 'medication.follow_up.message', values),
          type: 'medication',
          read: false,
          fire_at: new Date(this.now()).toISOString(),
          follow_up: true,
          reference_id: original.reference_id,
        },
        { id: `${entry.notificationId}-followup`, source: 'system' },
      ));
      await this.opts.delivery.deliver(health.userId, item);
      return true;
    } catch (err) {
      if (isAppError(err) && err.code === 'CONFLICT') return false;
      throw err;
    }
  }
}
