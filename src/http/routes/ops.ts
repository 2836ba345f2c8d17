import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const opsRoutes: FastifyPluginAsyncZod<{ readiness: Record<string, () => boolean | Promise<boolean>> }> = async (app, opts) => {
  app.get('/healthz', {
    config: { rateLimit: false },
    schema: { tags: ['ops'], summary: 'Process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { rateLimit: false },
    schema: {
      tags: ['ops'],
      summary: 'Databases and stores answer',
      security: [],
      response: { 200: z.object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.boolean()) }), 503: z.object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.boolean()) }) },
    },
  }, async (_req, reply) => {
    const checks: Record<string, boolean> = {};
    for (const [name, probe] of Object.entries(opts.readiness)) {
      try {
        checks[name] = await probe();
      } catch {
        checks[name] = false;
      }
    }
    const ok = Object.values(checks).every(Boolean);
    reply.status(ok ? 200 : 503);
    return { status: ok ? ('ready' as const) : ('unavailable' as const), checks };
  });
};
