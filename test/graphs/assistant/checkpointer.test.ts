/** Thread memory is bounded: one checkpoint per thread, idle threads expire, the oldest go first. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantOn, embeddedHealth, turn, type Harness } from './helpers.js';

let h: Harness;
beforeEach(() => {
  h = embeddedHealth();
});
afterEach(() => h.close());

describe('BoundedMemorySaver under the assistant', () => {
  it('keeps only the newest checkpoint of a thread', async () => {
    const a = assistantOn(h);
    for (const text of ['hello', 'my bp is', '140 over 90', 'thanks']) await a.run(turn('u', text));
    const [threads] = Object.values(a.checkpointer.storage);
    expect(Object.keys(threads![''] ?? {})).toHaveLength(1);
    expect(Object.keys(a.checkpointer.writes).length).toBeLessThanOrEqual(1);
  });

  it('drops the least recently used thread past the cap', async () => {
    const a = assistantOn(h, { settings: { maxThreads: 3 } });
    await a.run(turn('u', 'my bp is', 'first'));
    for (const t of ['second', 'third', 'fourth']) await a.run(turn('u', 'hello', t));
    expect(a.checkpointer.threadCount).toBe(3);
    expect(Object.keys(a.checkpointer.storage)).toHaveLength(3);
    // The first thread's question was forgotten: its answer is a new turn, not a BP reading.
    const r = await a.runWithState(turn('u', 'umm', 'first'));
    expect(r.state.pending).toBeNull();
    expect(r.route).toBe('chat');
  });

  it('forgets a pending question after the idle time', async () => {
    const a = assistantOn(h, { settings: { threadTtlMs: 60_000 } });
    await a.run(turn('u', 'remind me to take my medicine'));
    h.clock.now += 61_000;
    const r = await a.runWithState(turn('u', 'at 9 pm'));
    expect(r.route).not.toBe('reminder');
    expect((await h.health.forUser('u').list('alarm')).items).toEqual([]);
  });

  it('ends a thread on request', async () => {
    const a = assistantOn(h);
    await a.run(turn('u', 'my bp is'));
    await a.endThread('u', 'thread-1');
    expect(a.checkpointer.threadCount).toBe(0);
    expect((await a.runWithState(turn('u', 'umm'))).state.pending).toBeNull();
  });
});
