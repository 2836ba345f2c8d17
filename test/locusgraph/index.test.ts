import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { HttpLocusGraph } from '../../src/locusgraph/http-client.js';
import { createLocusGraph } from '../../src/locusgraph/index.js';
import { tempDataDir } from './helpers.js';

describe('createLocusGraph', () => {
  it('opens the embedded store in the data dir by default', async () => {
    const tmp = tempDataDir();
    const config = loadConfig({ PODD_DATA_DIR: tmp.dir, PODD_DATA_KEY: tmp.key.toString('hex') });
    const lg = createLocusGraph(config);
    expect(lg).toBeInstanceOf(EmbeddedLocusGraph);
    expect((lg as EmbeddedLocusGraph).path).toBe(`${tmp.dir}/locusgraph.db`);
    await lg.storeEvent({ graph_id: 'g', event_kind: 'fact', context_id: 'water:a', payload: { amount_ml: 1 } });
    await lg.close();
    tmp.remove();
  });

  it('uses the hosted client when LOCUSGRAPH_URL and the agent secret are set', async () => {
    const tmp = tempDataDir();
    const config = loadConfig({ PODD_DATA_DIR: tmp.dir, LOCUSGRAPH_URL: 'http://127.0.0.1:1/', LOCUSGRAPH_AGENT_SECRET: 's', LOCUSGRAPH_TIMEOUT_MS: '200' });
    const lg = createLocusGraph(config);
    expect(lg).toBeInstanceOf(HttpLocusGraph);
    await lg.close();
    tmp.remove();
  });
});
