/**
 * 10,000 users × 3 alarms on the embedded store, a simulated day (1,440 minute ticks driven by an
 * injected clock). Counts fires, duplicates and misses against the alarms' own schedule, and
 * times every tick and every delivery.
 */
import { createHealthStore } from '../src/locusgraph/health.js';
import { EmbeddedLocusGraph } from '../src/locusgraph/embedded.js';
import { HealthService } from '../src/health/service.js';
import { ReminderDelivery } from '../src/reminders/delivery.js';
import { ReminderScheduler } from '../src/reminders/scheduler.js';
import { randomBytes } from 'node:crypto';
import { benchDir, percentile, round } from './_lib.js';

const USERS = Number(process.env.BENCH_REMINDER_USERS ?? 10_000);
const ALARMS_PER_USER = 3;

export default async function benchReminders() {
  const lg = new EmbeddedLocusGraph({ dataDir: benchDir('reminders'), key: randomBytes(32) });
  // The simulated day starts at the current minute: the store stamps created_at with the real
  // clock, and a daily alarm fires exactly once in any 24 hours after it was created.
  const dayStart = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = { now: dayStart };
  const health = new HealthService(createHealthStore(lg, { now: () => clock.now }), 'Asia/Kolkata', () => clock.now);
  const userIds = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);

  // Deterministic spread of alarm times over the day.
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const expected = new Set<string>();
  const t0 = performance.now();
  for (const userId of userIds) {
    const store = health.forUser(userId).store;
    for (let a = 0; a < ALARMS_PER_USER; a++) {
      const minuteOfDay = Math.floor(rand() * 1440);
      const time = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
      const item = await store.storeEvent('alarm', { type: (['water', 'meal', 'custom'] as const)[a], title: `Alarm ${a}`, time, days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
      expected.add(`${userId}|alarm:${item.id}`);
    }
  }
  const seedMs = performance.now() - t0;

  const deliveries = new Map<string, number>();
  const lags: number[] = [];
  let tickStart = 0;
  const scheduler = new ReminderScheduler({
    health,
    userIds: () => userIds,
    now: () => clock.now,
    delivery: new ReminderDelivery({
      health,
      now: () => clock.now,
      sink: {
        deliver: async (userId, n) => {
          const key = `${userId}|${n.alarm_id}`;
          deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
          lags.push(clock.now - Date.parse(String(n.fire_at)) + (performance.now() - tickStart));
          return Number(process.env.BENCH_SINK_RESULT ?? 1);
        },
      },
    }),
  });
  const s0 = performance.now();
  await scheduler.start({ cron: false });
  const startMs = performance.now() - s0;

  const tickMs: number[] = [];
  for (let m = 1; m <= 1440; m++) {
    clock.now = dayStart + m * 60_000;
    tickStart = performance.now();
    await scheduler.tick();
    tickMs.push(performance.now() - tickStart);
  }
  await scheduler.stop();
  await lg.close();

  let duplicates = 0;
  for (const n of deliveries.values()) if (n > 1) duplicates += n - 1;
  let missed = 0;
  for (const key of expected) if (!deliveries.has(key)) missed++;
  return {
    alarms: expected.size,
    fires: [...deliveries.values()].reduce((a, b) => a + b, 0),
    duplicates,
    missed,
    tick_p99_ms: round(percentile(tickMs, 99)),
    fire_lag_p99_ms: round(percentile(lags, 99)),
    tick_max_ms: round(Math.max(...tickMs)),
    index_start_ms: Math.round(startMs),
    seed_ms: Math.round(seedMs),
  };
}
