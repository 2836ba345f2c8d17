import { describe, expect, it } from 'vitest';
import { turnHandle, type AssistantReply } from '../../../graphs/assistant/port.js';
import { deferred, sleep } from '../../../src/util/async.js';

const answer: AssistantReply = { reply: 'Saved.', route: 'log', language: 'en-IN', actions: [] };

/** Which of a handle's promises have settled, and how. */
function watch(p: Promise<unknown>) {
  const seen = { state: 'pending' as 'pending' | 'resolved' | 'rejected' };
  p.then(
    () => (seen.state = 'resolved'),
    () => (seen.state = 'rejected'),
  );
  return seen;
}

describe('a turn handle', () => {
  it('calls onReply synchronously when the reply is decided, once, before the turn runs on', async () => {
    const order: string[] = [];
    const turn = turnHandle(
      async (decide) => {
        decide(answer);
        order.push('graph runs on');
        decide(answer);
        return answer;
      },
      { onReply: (r) => order.push(`spoken: ${r.reply}`) },
    );
    await turn.done;
    expect(order).toEqual(['spoken: Saved.', 'graph runs on']);
  });

  it('calls onReply with the final reply when the run never decided early', async () => {
    const got: AssistantReply[] = [];
    const turn = turnHandle(async () => (await sleep(5), answer), { onReply: (r) => got.push(r) });
    expect(await turn.reply).toBe(answer);
    expect(got).toEqual([answer]);
  });

  it('settles `reply` when the reply is decided and `done` when the bookkeeping is', async () => {
    const stored = deferred<void>();
    const turn = turnHandle(async (decide) => {
      decide(answer);
      await stored.promise;
      return answer;
    });
    const done = watch(turn.done);
    expect(await turn.reply).toBe(answer);
    expect(done.state).toBe('pending');
    stored.resolve();
    expect(await turn.done).toBe(answer);
  });

  it('without an early reply, `reply` settles with `done`', async () => {
    const turn = turnHandle(async () => (await sleep(10), answer));
    expect(await turn.reply).toBe(answer);
    expect(await turn.done).toBe(answer);
  });

  it('a turn that fails before its reply rejects both, and nobody awaiting them is no unhandled rejection', async () => {
    const turn = turnHandle(async () => {
      throw new Error('graph failed');
    });
    await sleep(10);
    await expect(turn.reply).rejects.toThrow('graph failed');
    await expect(turn.done).rejects.toThrow('graph failed');
    turnHandle(() => {
      throw new Error('thrown at once');
    });
    await sleep(10);
  });

  it('a turn that fails after its reply keeps the reply and rejects `done` only', async () => {
    const turn = turnHandle(async (decide) => {
      decide(answer);
      await sleep(5);
      throw new Error('not stored');
    });
    await expect(turn.done).rejects.toThrow('not stored');
    expect(await turn.reply).toBe(answer);
  });
});
