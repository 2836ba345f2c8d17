import { afterAll, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterAll(async () => t?.close());

it('with the real clock and node-cron, an alarm for the next minute fires within 2 s of that minute starting', { timeout: 90_000 }, async () => {
  // The one test on the host's clock, on purpose: node-cron's real minute ticks must reach the
  // scheduler. The alarm's time is read off that same clock, so any date passes.
  const deliveredAt: number[] = [];
  t = await makeTestApp({ now: Date.now, app: { notificationSink: { deliver: async () => (deliveredAt.push(Date.now()), 1) } } });
  await t.app.services.reminders.start({ cron: true });
  const u = await registerUser(t.app);
  await t.app.inject({ method: 'PUT', url: '/api/profile', headers: u.auth, payload: { timezone: 'UTC' } });

  // Leave at least 5 s to set up before the target minute begins.
  const minute = 60_000;
  let target = Math.ceil(Date.now() / minute) * minute;
  if (target - Date.now() < 5_000) target += minute;
  const d = new Date(target);
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/alarms',
    headers: u.auth,
    payload: { type: 'custom', title: 'Stretch', time: hhmm, date: d.toISOString().slice(0, 10), days_of_week: [] },
  });
  expect(res.statusCode).toBe(201);

  while (deliveredAt.length === 0 && Date.now() < target + 10_000) await new Promise((r) => setTimeout(r, 100));
  expect(deliveredAt).toHaveLength(1);
  expect(deliveredAt[0]! - target).toBeGreaterThanOrEqual(0);
  expect(deliveredAt[0]! - target).toBeLessThan(2_000);
});
