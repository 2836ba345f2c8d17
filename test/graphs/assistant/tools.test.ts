/** The user-bound tools, called directly and through their @langchain/core wrappers. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultFoodIndex } from '../../../graphs/assistant/nlu/nutrition.js';
import { asLangChainTools, createHealthTools, type ToolLedger } from '../../../graphs/assistant/tools.js';
import { embeddedHealth, type Harness } from './helpers.js';

let h: Harness;
beforeEach(() => {
  h = embeddedHealth();
});
afterEach(() => h.close());

const toolsFor = (userId: string, medications: Array<{ id: string; name: string }> = []) =>
  createHealthTools({ health: h.health.forUser(userId), timeZone: 'Asia/Kolkata', now: () => new Date(h.clock.now), foodIndex: defaultFoodIndex(), medications });

describe('tools', () => {
  it('log_food computes totals from the nutrition table and refuses unknown dishes', async () => {
    const t = toolsFor('a');
    const ok = await t.logFood({ items: [{ food: 'roti', quantity: 2 }, { food: 'dal', quantity: 1, unit: 'katori' }] });
    expect(ok.ok).toBe(true);
    const [food] = (await h.health.forUser('a').list('food')).items;
    expect(food).toMatchObject({ meal_type: 'breakfast', calories: expect.any(Number), items: [expect.objectContaining({ quantity: 2 }), expect.objectContaining({ unit: 'katori' })] });
    expect(await t.logFood({ items: [{ food: 'unicorn_stew', quantity: 1 }] })).toMatchObject({ ok: false, error: 'not_found' });
    expect((await h.health.forUser('a').list('food')).items).toHaveLength(1);
  });

  it('log_vital refuses out-of-range and inconsistent readings without writing', async () => {
    const t = toolsFor('a');
    for (const input of [{ systolic: 900, diastolic: 5 }, { systolic: 120 }, { systolic: 80, diastolic: 120 }, { spo2: 130 }, { temperature: 150, temperature_unit: 'F' as const }]) {
      expect(await t.logVital(input)).toMatchObject({ ok: false, error: 'invalid' });
    }
    expect((await h.health.forUser('a').list('vitals')).items).toEqual([]);
    expect(await t.logVital({ temperature: 38.5 })).toMatchObject({ ok: true });
    expect((await h.health.forUser('a').list('vitals')).items[0]).toMatchObject({ temperature: 38.5, temperature_unit: 'C' });
  });

  it('log_dose needs a saved medicine; create_appointment refuses the past', async () => {
    const med = await h.health.forUser('a').create('medication', { name: 'Metformin' });
    const t = toolsFor('a', [{ id: med.id, name: 'Metformin' }]);
    expect(await t.logDose({ medication: 'metformin' })).toMatchObject({ ok: true, actions: [{ type: 'medication_log' }] });
    expect(await t.logDose({ medication: 'Aspirin' })).toMatchObject({ ok: false, error: 'not_found' });
    expect(await t.createAppointment({ title: 'Checkup', scheduled_at: '2025-11-19T10:00:00+05:30' })).toMatchObject({ ok: false, error: 'past' });
    expect((await h.health.forUser('a').list('appointment')).items).toEqual([]);
  });

  it('create_alarm without a day fires once, at the next occurrence of that time', async () => {
    const t = toolsFor('a');
    await t.createAlarm({ alarm_type: 'custom', title: 'Call son', time: '08:00' });
    await t.createAlarm({ alarm_type: 'custom', title: 'Walk', time: '18:00' });
    const alarms = (await h.health.forUser('a').list('alarm')).items;
    expect(alarms.map((x) => [x.title, x.date]).sort()).toEqual([['Call son', '2025-11-21'], ['Walk', '2025-11-20']]);
  });

  it('are bound to one user: the LangChain tools take no user id and write only there', async () => {
    const ledger: ToolLedger = new Map();
    const tools = asLangChainTools(toolsFor('a'), ledger);
    expect(tools.map((x) => x.name)).toEqual([
      'log_food', 'log_vital', 'log_tracking', 'log_dose', 'create_alarm', 'create_appointment', 'get_profile', 'get_recent', 'search_memories', 'get_insights',
    ]);
    const water = tools.find((x) => x.name === 'log_tracking')!;
    const out = await water.invoke({ kind: 'water', amount_ml: 500, user_id: 'b' } as never);
    expect(JSON.parse(String(out))).toMatchObject({ ok: true });
    expect((await h.health.forUser('a').list('water')).items).toHaveLength(1);
    expect((await h.health.forUser('b').list('water')).items).toEqual([]);
    expect([...ledger.values()][0]).toMatchObject({ ok: true, actions: [{ type: 'water' }] });
    await expect(tools.find((x) => x.name === 'log_vital')!.invoke({ systolic: 'high' } as never)).rejects.toThrow();
  });
});
