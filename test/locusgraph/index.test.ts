import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { HttpLocusGraph } from '../../src/locusgraph/http-client.js';
import { createLocusGraph } from '../../src/locusgraph/index.js';
import { tempDataDir } from './helpers.js';

describe('createLocusGraph', () => {
  it('opens the embedded store in the data dir by default, stamping events with the given clock', async () => {
    const tmp = tempDataDir();
    const config = loadConfig({ PODD_DATA_DIR: tmp.dir, PODD_DATA_KEY: tmp.key.toString('hex') });
    // Years away from the host's date: the store must not read the host's clock.
    const at = Date.parse('2031-05-04T03:02:01Z');
    const lg = createLocusGraph(config, { now: () => at });
    expect(lg).toBeInstanceOf(EmbeddedLocusGraph);
    expect((lg as EmbeddedLocusGraph).path).toBe(`${tmp.dir}/locusgraph.db`);
    await lg.storeEvent({ graph_id: 'g', event_kind: 'fact', context_id: 'water:a', payload: { amount_ml: 1 } });
    const stored = await lg.getContext('g', 'water:a');
    expect(stored).toMatchObject({ created_at: '2031-05-04T03:02:01.000Z', updated_at: '2031-05-04T03:02:01.000Z' });
    await lg.close();
    tmp.remove();
  });

  it('uses the hosted client when LOCUSGRAPH_URL and the agent secret are set', async () => {
    const tmp = tempDataDir();
    const config = loadConfig({ PODD_DATA_DIR: tmp.dir, LOCUSGRAPH_URL: 'http://127.0.0.1:1/', LOCUSGRAPH_AGENT_SECRET: 's', LOCUSGRAPH_TIMEOUT_MS: '200' });
    const lg = createLocusGraph(config, { now: Date.now });
    expect(lg).toBeInstanceOf(HttpLocusGraph);
    await lg.close();
    tmp.remove();
  });
});
