import { describe, expect, it } from 'vitest';
import { computeInsights, type InsightInput } from '../../src/locusgraph/insights.js';

const empty = (over: Partial<InsightInput>): InsightInput => ({
  fromMs: Date.parse('2026-05-01T00:00:00Z'),
  toMs: Date.parse('2026-05-11T00:00:00Z'),
  nowMs: Date.parse('2026-06-01T00:00:00Z'),
  timezone: 'UTC',
  vitals: [],
  food: [],
  water: [],
  sleep: [],
  exercise: [],
  mood: [],
  meditation_log: [],
  medication: [],
  med_schedule: [],
  medication_log: [],
  ...over,
});
const meta = { created_at: '2026-04-01T00:00:00Z', updated_at: '2026-04-01T00:00:00Z' };

describe('computeInsights', () => {
  it('reads a falling weight as falling and small wobbles as stable', () => {
    const vitals = [80, 79.5, 79, 78.2, 77.6].map((w, i) => ({ id: `v${i}`, ...meta, weight_kg: w, heart_rate: 70 + (i % 2), logged_at: `2026-05-0${i + 1}T07:00:00Z` }));
    const ins = computeInsights(empty({ vitals }));
    expect(ins.vitals.weight_kg).toMatchObject({ count: 5, min: 77.6, max: 80, first: 80, last: 77.6, trend: 'falling' });
    expect(ins.vitals.weight_kg!.change_per_week).toBeLessThan(-3);
    expect(ins.vitals.heart_rate!.trend).toBe('stable');
  });

  it('reports no adherence when nothing was scheduled, and empty summaries as nulls and zeros', () => {
    const ins = computeInsights(empty({ medication_log: [{ id: 'l1', ...meta, medication_id: 'medication:prn', status: 'taken', taken_at: '2026-05-02T08:00:00Z' }] }));
    // A dose of a medicine taken as needed is no scheduled dose: it counts as extra.
    expect(ins.medication).toMatchObject({ scheduled: 0, taken: 0, extra: 1, adherence: null });
    expect(ins.sleep).toEqual({ nights: 0, avg_hours: null, min_hours: null, max_hours: null, avg_quality: null });
    expect(ins.water).toMatchObject({ total_ml: 0, avg_daily_ml: 0 });
    expect(ins.period.days).toBe(10);
  });

  it('stops counting a deactivated schedule at its last change', () => {
    const ins = computeInsights(
      empty({
        medication: [{ id: 'm', ...meta, name: 'M', active: true }],
        med_schedule: [
          { id: 's1', created_at: '2026-04-01T00:00:00Z', updated_at: '2026-05-04T00:00:00Z', medication_id: 'medication:m', time_of_day: '09:00', days_of_week: ['1', '2', '3', '4', '5', '6', '0'], active: false },
        ],
      }),
    );
    // 1, 2 and 3 May at 09:00 UTC.
    expect(ins.medication.scheduled).toBe(3);
  });
});
