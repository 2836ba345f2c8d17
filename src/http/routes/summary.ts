/**
 * Advice and the daily summary. Recommendations come from the rule engine over the user's own
 * readings (src/health/advice.ts — the assistant uses the same); each names the reading it came
 * from. The daily summary is the spec's daily_summary workflow: collect the day, analyse the
 * week's trends, the insights and the recommendations, and store the result as an event, so a
 * repeated request for a date returns what was stored unless ?refresh=true.
 */
import { LANGS, type Lang } from '../../../prompts/lang.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adviceFor, recommendationInputFor } from '../../health/advice.js';
import { localize, recommend, type Recommendation } from '../../health/recommendations.js';
import type { HealthService, UserHealth } from '../../health/service.js';
import { localDate, zonedTimeToUtc } from '../../locusgraph/zoned-time.js';
import { AppError } from '../../errors.js';
import { errorResponses } from '../schemas.js';
import { highlights } from '../../health/highlights.js';
import { healthOf } from './resource.js';

const DAY_MS = 86_400_000;
const LangQuery = z.enum(LANGS);

const RecommendationItem = z.object({
  id: z.string(),
  severity: z.enum(['info', 'caution', 'urgent']),
  title: z.string(),
  message: z.string(),
  reading: z.record(z.string(), z.unknown()),
});

async function languageOf(health: UserHealth, asked?: Lang): Promise<Lang> {
  return asked ?? (await health.preferences()).lang;
}

const present = (r: Recommendation, lang: Lang) => {
  const l = localize(r, lang);
  return { id: r.id, severity: r.severity, title: l.title, message: l.message, reading: r.reading as unknown as Record<string, unknown> };
};

export const summaryRoutes: FastifyPluginAsyncZod<{ service: HealthService }> = async (app, { service }) => {
  app.get('/health/recommendations', {
    schema: {
      tags: ['vitals'],
      summary: 'Rule-based, non-diagnostic advice from your own readings, most severe first',
      querystring: z.strictObject({ lang: LangQuery.optional() }),
      response: { 200: z.object({ items: z.array(RecommendationItem), generated_at: z.string() }), ...errorResponses },
    },
  }, async (req) => {
    const health = healthOf(req, service);
    const now = service.now();
    const [{ recommendations }, lang] = await Promise.all([adviceFor(health, now), languageOf(health, req.query.lang)]);
    return { items: recommendations.map((r) => present(r, lang)), generated_at: new Date(now).toISOString() };
  });

  app.get('/summary/daily', {
    schema: {
      tags: ['summary'],
      summary: 'The daily summary for a local date (stored; ?refresh=true recomputes it)',
      querystring: z.strictObject({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').optional(),
        refresh: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        lang: LangQuery.optional(),
      }),
      response: { 200: z.looseObject({ id: z.string(), date: z.string() }), ...errorResponses },
    },
  }, async (req) => {
    const health = healthOf(req, service);
    const tz = await health.timezone();
    const now = service.now();
    const today = localDate(now, tz);
    const date = req.query.date ?? today;
    const dayStart = zonedTimeToUtc(date, '00:00', tz);
    if (!Number.isFinite(dayStart) || localDate(dayStart, tz) !== date) throw new AppError('VALIDATION_ERROR', 'Invalid date', { 'query.date': 'must be a real date' });
    if (date > today) throw new AppError('VALIDATION_ERROR', 'Invalid date', { 'query.date': 'must not be in the future' });
    const id = `daily-${date}`;
    if (!req.query.refresh) {
      const stored = await health.get('daily_summary', id);
      if (stored) return stored;
    }
    const dayEnd = zonedTimeToUtc(localDate(dayStart + 36 * 3600_000, tz), '00:00', tz);
    const until = Math.min(dayEnd, now + 1000);
    const [day, week] = await Promise.all([
      health.store.generateInsights({ from: new Date(dayStart).toISOString(), to: new Date(dayEnd).toISOString(), timezone: tz }),
      health.store.generateInsights({ from: new Date(dayEnd - 7 * DAY_MS).toISOString(), to: new Date(dayEnd).toISOString(), timezone: tz }),
    ]);
    const conditions = (await health.profile())?.medical_conditions ?? [];
    // Advice as of the end of that day (or now, for today).
    const recs = recommend(await recommendationInputFor(health, until - 1000, tz, conditions));
    const lang = await languageOf(health, req.query.lang);
    const payload = {
      date,
      timezone: tz,
      day: day as unknown as Record<string, unknown>,
      trends: { vitals: week.vitals, sleep: week.sleep, water: week.water, medication: week.medication } as unknown as Record<string, unknown>,
      recommendations: recs.map((r) => present(r, lang)),
      highlights: highlights(day, week),
      generated_at: new Date(now).toISOString(),
    };
    const { item } = await health.upsert('daily_summary', id, payload);
    return item;
  });
};
