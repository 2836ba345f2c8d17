/**
 * Picks the LocusGraph implementation from config: the embedded encrypted store in the data dir
 * by default, the hosted service when LOCUSGRAPH_URL + LOCUSGRAPH_AGENT_SECRET are set.
 */
import type { Config } from '../config.js';
import { EmbeddedLocusGraph } from './embedded.js';
import { HttpLocusGraph } from './http-client.js';
import type { LocusGraph } from './port.js';

export type { LocusGraph } from './port.js';
export { createHealthStore, graphIdForUser, type HealthStore, type UserHealthStore, type HealthItem } from './health.js';
export { EVENT_TYPES, EVENT_TYPE_NAMES, isEventType, type EventType, type PayloadOf } from './schemas.js';

/**
 * `now` is the service's one clock: the embedded store stamps every event's `created_at`,
 * `updated_at` and default `ts` with it (the scheduler, for one, never catches up fires from
 * before an alarm was created). It is required so no caller can fall back to the host's clock by
 * leaving it out. The hosted service stamps events with its own clock.
 */
export function createLocusGraph(config: Pick<Config, 'dataDir' | 'dataKey' | 'locusgraph'>, clock: { now: () => number }): LocusGraph {
  const lg = config.locusgraph;
  if (lg.mode === 'hosted') {
    return new HttpLocusGraph({ baseUrl: lg.url, agentSecret: lg.agentSecret, timeoutMs: lg.timeoutMs });
  }
  // Group commit: concurrent writes share one transaction; HealthService serialises the
  // read-modify-write rules per user, so batching never interleaves them.
  return new EmbeddedLocusGraph({ dataDir: config.dataDir, key: config.dataKey, groupCommit: true, now: clock.now });
}
