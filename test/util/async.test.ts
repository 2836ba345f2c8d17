import { describe, expect, it } from 'vitest';
import { deferred, raceAbort, sleep, withTimeout } from '../../src/util/async.js';

const never = () => new Promise<never>(() => undefined);

describe('raceAbort', () => {
  it('gives the promise, or the reason as soon as the signal aborts (at once if it has)', async () => {
    const ac = new AbortController();
    expect(await raceAbort(Promise.resolve(1), ac.signal)).toBe(1);
    const racing = raceAbort(never(), ac.signal);
    ac.abort(new Error('barge-in'));
    await expect(racing).rejects.toThrow('barge-in');
    await expect(raceAbort(Promise.resolve(1), ac.signal)).rejects.toThrow('barge-in');
  });
});

describe('withTimeout', () => {
  it('starts the clock when `from` settles, not before', async () => {
    const from = deferred<void>();
    const slow = sleep(80).then(() => 'answer');
    const timed = withTimeout(slow, 50, from.promise);
    await sleep(40);
    from.resolve();
    expect(await timed).toBe('answer');
    await expect(withTimeout(never(), 20)).rejects.toThrow('timed out after 20 ms');
  });
});

describe('deferred', () => {
  it('settles once, and a rejection nobody waits on is not unhandled', async () => {
    const d = deferred<number>();
    d.resolve(1);
    d.reject(new Error('late'));
    expect(await d.promise).toBe(1);
    deferred().reject(new Error('given up'));
    await sleep(10);
  });
});

describe('sleep', () => {
  it('waits, or rejects with the reason when the signal aborts', async () => {
    const t0 = performance.now();
    await sleep(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    const ac = new AbortController();
    const sleeping = sleep(10_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(sleep(10, ac.signal)).rejects.toThrow('stop');
  });
});
