/**
 * The embedded health store as the app builds it (encrypted SQLite in a temp dir, HealthService
 * with its cross-record rules), a settable clock, and an assistant over it.
 */
import { rmSync } from 'node:fs';
import { createAssistant, type CreateAssistantOptions } from '../../../graphs/assistant/index.js';
import { loadConfig } from '../../../src/config.js';
import { HealthService } from '../../../src/health/service.js';
import { createHealthStore, createLocusGraph } from '../../../src/locusgraph/index.js';
import { tempDir } from '../../helpers/app.js';

/** Thursday 20 November 2025, 10:00 in Kolkata. */
export const T0 = Date.parse('2025-11-20T10:00:00+05:30');

export interface Harness {
  health: HealthService;
  clock: { now: number };
  close: () => Promise<void>;
}

export function embeddedHealth(start = T0): Harness {
  const dataDir = tempDir('podd-assistant-');
  const config = loadConfig({ PODD_DATA_DIR: dataDir, NODE_ENV: 'test' });
  const clock = { now: start };
  const now = (): number => clock.now;
  const lg = createLocusGraph(config, { now });
  const health = new HealthService(createHealthStore(lg, { now }), config.defaultTimezone, now);
  return {
    health,
    clock,
    close: async () => {
      await lg.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function assistantOn(h: Harness, opts: Partial<CreateAssistantOptions> = {}) {
  return createAssistant({ health: h.health, now: () => h.clock.now, llm: null, ...opts });
}

export const turn = (userId: string, text: string, threadId = 'thread-1', language = 'auto') =>
  ({ userId, threadId, text, language, channel: 'chat' as const });
