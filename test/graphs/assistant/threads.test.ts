/** Thread memory is bounded: idle threads expire, the least recently used go first, threads end. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThreadMemory } from '../../../graphs/assistant/threads.js';
import { assistantOn, embeddedHealth, turn, type Harness } from './helpers.js';

describe('ThreadMemory', () => {
  it('drops the least recently used entry past the cap, counting a read-back write as a use', () => {
    let now = 0;
    const m = new ThreadMemory<number>({ ttlMs: 1000, maxThreads: 2, now: () => now });
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 3);
    m.set('c', 4);
    expect(m.get('b')).toBeUndefined();
    expect([m.get('a'), m.get('c'), m.size]).toEqual([3, 4, 2]);
    now += 1001;
    expect(m.get('a')).toBeUndefined();
  });

  it('sweeps expired entries when another thread writes', () => {
    let now = 0;
    const m = new ThreadMemory<number>({ ttlMs: 1000, maxThreads: 10, now: () => now });
    m.set('old', 1);
    now += 1500;
    m.set('new', 2);
    expect(m.size).toBe(1);
  });
});

describe('pending questions under the assistant', () => {
  let h: Harness;
  beforeEach(() => {
    h = embeddedHealth();
  });
  afterEach(() => h.close());

  it('keeps one entry per thread with a question open, none once answered', async () => {
    const a = assistantOn(h);
    await a.start(turn('u', 'hello')).done;
    expect(a.threads.size).toBe(0);
    await a.start(turn('u', 'my bp is')).done;
    expect(a.threads.size).toBe(1);
    const r = await a.runWithState(turn('u', '140 over 90'));
    expect(r.route).toBe('log');
    expect(a.threads.size).toBe(0);
  });

  it('drops the least recently used thread past the cap', async () => {
    const a = assistantOn(h, { settings: { maxThreads: 3 } });
    for (const t of ['first', 'second', 'third', 'fourth']) await a.start(turn('u', 'my bp is', t)).done;
    expect(a.threads.size).toBe(3);
    // The first thread's question was forgotten: its answer is a new turn, not a BP reading.
    const r = await a.runWithState(turn('u', 'umm', 'first'));
    expect(r.state.pending).toBeNull();
    expect(r.route).toBe('chat');
    expect((await a.runWithState(turn('u', '150 over 95', 'fourth'))).route).toBe('log');
  });

  it('forgets a pending question after the idle time', async () => {
    const a = assistantOn(h, { settings: { threadTtlMs: 60_000 } });
    await a.start(turn('u', 'remind me to take my medicine')).done;
    h.clock.now += 61_000;
    const r = await a.runWithState(turn('u', 'at 9 pm'));
    expect(r.route).not.toBe('reminder');
    expect((await h.health.forUser('u').list('alarm')).items).toEqual([]);
  });

  it('ends a thread on request', async () => {
    const a = assistantOn(h);
    await a.start(turn('u', 'my bp is')).done;
    await a.endThread('u', 'thread-1');
    expect(a.threads.size).toBe(0);
    expect((await a.runWithState(turn('u', 'umm'))).state.pending).toBeNull();
  });
});
