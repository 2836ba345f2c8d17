/**
 * The "Today" panel's arithmetic (web/src/today): totals, latest readings, marking a dose taken, next
 * reminders and chart geometry, from records shaped like the REST lists.
 */
import { describe, expect, it } from 'vitest';
import { lineChart, niceRange } from '../../web/src/today/chart.js';
import { dayTotals, latestVitals, takenBody, upcomingReminders, vitalsSeries } from '../../web/src/today/model.js';

/** A fixed local instant: Wednesday 2026-03-18 10:30 local time. */
const NOW = new Date(2026, 2, 18, 10, 30).getTime();
const local = (d: number, h: number, m = 0) => new Date(2026, 2, d, h, m).toISOString();

describe('day totals', () => {
  it('adds calories, macros (missing ones count as zero) and water', () => {
    const t = dayTotals(
      [{ calories: 350.4, protein_g: 12, carbs_g: 60, fat_g: 8 }, { calories: 200, protein_g: 5.6 }],
      [{ amount_ml: 250 }, { amount_ml: 500 }],
    );
    expect(t).toEqual({ calories: 550, protein_g: 18, carbs_g: 60, fat_g: 8, meals: 2, water_ml: 750 });
  });
});

describe('latest readings and the 7-day series', () => {
  const vitals = [
    { blood_pressure_systolic: 130, blood_pressure_diastolic: 85, logged_at: local(16, 8) },
    { blood_sugar: 110, blood_sugar_context: 'fasting', logged_at: local(17, 7) },
    { blood_pressure_systolic: 140, blood_pressure_diastolic: 90, logged_at: local(18, 9) },
    { heart_rate: 70, logged_at: local(18, 10) },
    { blood_pressure_systolic: 150, blood_pressure_diastolic: 95, logged_at: local(5, 9) }, // older than a week
  ];

  it('picks the newest BP and sugar regardless of list order', () => {
    const { bp, sugar } = latestVitals([...vitals].reverse());
    expect(bp?.value).toEqual({ systolic: 140, diastolic: 90 });
    expect(sugar?.value).toEqual({ mg_dl: 110, context: 'fasting' });
    expect(latestVitals([]).bp).toBeNull();
  });

  it('keeps the last seven local days, oldest first', () => {
    const s = vitalsSeries(vitals, NOW);
    expect(s.systolic.map((p) => p.v)).toEqual([130, 140]);
    expect(s.diastolic.map((p) => p.v)).toEqual([85, 90]);
    expect(s.sugar.map((p) => p.v)).toEqual([110]);
    expect(new Date(s.from).getDate()).toBe(12);
  });
});

describe('marking a dose of today taken', () => {
  it('names the listed dose time, so the dose is linked to exactly that one; an as-needed one names only its medicine', () => {
    const due = { medication_id: 'medication:m1', name: 'Metformin', schedule_id: 'med_schedule:s1', time: '20:00', due_at: '2026-03-18T14:30:00.000Z', status: 'due' as const };
    expect(takenBody(due, NOW)).toEqual({ medication_id: 'medication:m1', schedule_id: 'med_schedule:s1', due_at: '2026-03-18T14:30:00.000Z', status: 'taken', taken_at: new Date(NOW).toISOString() });
    expect(takenBody({ ...due, schedule_id: null, time: null, due_at: null }, NOW)).toEqual({ medication_id: 'medication:m1', status: 'taken', taken_at: new Date(NOW).toISOString() });
  });
});

describe('upcoming reminders', () => {
  it('finds each active alarm’s next firing in local time and sorts them', () => {
    const next = upcomingReminders(
      [
        { id: 'a1', title: 'Evening pill', time: '20:00', days_of_week: ['3'] },
        { id: 'a2', title: 'Morning walk', time: '07:00', days_of_week: ['3', '4'] }, // passed today → Thursday
        { id: 'a3', title: 'Doctor', time: '11:00', date: '2026-03-20' },
        { id: 'a4', title: 'Off', time: '11:00', days_of_week: ['3'], active: false },
        { id: 'a5', title: 'Past one-off', time: '09:00', date: '2026-03-18' },
      ],
      NOW,
    );
    expect(next.map((n) => [n.title, new Date(n.at).getDate(), new Date(n.at).getHours()])).toEqual([
      ['Evening pill', 18, 20],
      ['Morning walk', 19, 7],
      ['Doctor', 20, 11],
    ]);
  });
});

describe('chart geometry', () => {
  it('maps whole days and the value range onto the plot, a line only for two or more points', () => {
    const from = new Date(2026, 2, 12).getTime();
    const g = lineChart({
      series: [
        { name: 'systolic', points: [{ t: from, v: 160 }, { t: new Date(2026, 2, 19).getTime(), v: 60 }] },
        { name: 'sugar', points: [{ t: NOW, v: 100 }] },
      ],
      from,
      to: new Date(2026, 2, 19).getTime(),
      yRange: [60, 160],
      yStep: 20,
      width: 320,
      height: 160,
      dayLabel: (t) => String(new Date(t).getDate()),
    });
    expect(g.series[0]!.path).toBe(`M${g.plot.left} ${g.plot.top} L${g.plot.right} ${g.plot.bottom}`);
    expect(g.series[1]!.path).toBe('');
    expect(g.series[1]!.dots).toHaveLength(1);
    expect(g.yTicks.map((t) => t.label)).toEqual(['60', '80', '100', '120', '140', '160']);
    expect(g.xTicks.map((t) => t.label)).toEqual(['12', '13', '14', '15', '16', '17', '18']);
  });

  it('widens the y range to include the data and the usual band, on round steps', () => {
    expect(niceRange([185, 95], [60, 160], 20)).toEqual([60, 200]);
    expect(niceRange([], [70, 180], 30)).toEqual([70, 180]);
  });
});
