/**
 * Read tools for LLM mode: the profile with medicine times, recent records of one type, a text
 * search over the user's own records, and aggregates over the last N days. They return data only;
 * the LLM words the answer.
 */
import { z } from 'zod';
import { isoInZone } from '../nlu/clock.js';
import type { ToolEnv, ToolResult } from './core.js';

export const getRecentInput = z.object({
  type: z.enum(['vitals', 'food', 'water', 'sleep', 'exercise', 'mood', 'medication_log', 'appointment', 'alarm']),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export const searchMemoriesInput = z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(20).default(5) });
export const getInsightsInput = z.object({ days: z.number().int().min(1).max(90).default(7) });

export function queryTools(env: ToolEnv) {
  const { health, timeZone } = env;
  return {
    async getProfile(): Promise<ToolResult> {
      const profile = await health.get('profile', health.store.profileId);
      const schedules = await health.all('med_schedule');
      const contacts = await health.all('emergency_contact');
      const primary = contacts.find((c) => c.is_primary);
      const data = {
        timezone: timeZone,
        preferred_language: profile?.preferred_language,
        medical_conditions: profile?.medical_conditions ?? [],
        medications: env.medications.map((m) => ({
          name: m.name,
          times: schedules.filter((s) => s.medication_id === `medication:${m.id}` && s.active !== false).map((s) => s.time_of_day).sort(),
        })),
        primary_contact: primary ? { name: primary.name } : null,
      };
      return { ok: true, say: [], actions: [], data };
    },
    async getRecent(raw: z.input<typeof getRecentInput>): Promise<ToolResult> {
      const q = getRecentInput.parse(raw);
      const page = await health.list(q.type, { limit: q.limit, from: q.from, to: q.to });
      return { ok: true, say: [], actions: [], data: page.items };
    },
    async searchMemories(raw: z.input<typeof searchMemoriesInput>): Promise<ToolResult> {
      const q = searchMemoriesInput.parse(raw);
      const r = await health.store.retrieveContext({ text: q.query, limit: q.limit });
      // Chat turns are the user's own words; leaving them out keeps the LLM on recorded facts.
      return { ok: true, say: [], actions: [], data: r.items.filter((h) => h.type !== 'chat').map((h) => ({ type: h.type, ...h.item })) };
    },
    async getInsights(raw: z.input<typeof getInsightsInput>): Promise<ToolResult> {
      const q = getInsightsInput.parse(raw);
      const to = env.now();
      const from = new Date(to.getTime() - q.days * 86_400_000);
      const data = await health.store.generateInsights({ from: isoInZone(from, timeZone), to: isoInZone(to, timeZone), timezone: timeZone });
      return { ok: true, say: [], actions: [], data };
    },
  };
}
