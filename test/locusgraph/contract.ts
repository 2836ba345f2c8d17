/**
 * The LocusGraph contract: every implementation (embedded, hosted client over the façade) must
 * pass this same suite. Each test works in fresh graphs, so one store serves the whole suite.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { EventInput, LocusGraph, StoredEvent } from '../../src/locusgraph/port.js';

export interface ContractSubject {
  lg: LocusGraph;
  cleanup: () => Promise<void>;
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail');
}

const t0 = Date.parse('2026-02-01T00:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

export function locusGraphContract(name: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`LocusGraph contract: ${name}`, () => {
    let subject: ContractSubject;
    let lg: LocusGraph;
    beforeAll(async () => {
      subject = await makeSubject();
      lg = subject.lg;
    });
    afterAll(async () => {
      await subject.cleanup();
    });

    const graph = () => `g_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const ev = (graph_id: string, context_id: string, payload: Record<string, unknown>, extra: Partial<EventInput> = {}): EventInput => ({
      graph_id,
      event_kind: 'fact',
      context_id,
      payload,
      ...extra,
    });
    const allPages = async (g: string, type: string, limit: number, range: { from?: string; to?: string } = {}) => {
      const seen: StoredEvent[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await lg.listContextType(g, type, { limit, cursor, ...range });
        seen.push(...page.items);
        cursor = page.next_cursor ?? undefined;
        pages++;
      } while (cursor && pages < 100);
      return { seen, pages };
    };

    describe('storeEvent and getContext', () => {
      it('creates a memory and reads it back with its metadata', async () => {
        const g = graph();
        const r = await lg.storeEvent(ev(g, 'vitals:a1', { heart_rate: 72 }, { timestamp: '2026-02-18T08:00:00+05:30', source: 'user' }));
        expect(r.status).toBe('created');
        expect(r.locus_id).toMatch(/^L[0-9a-f]{16}$/);
        expect(r.context_id).toBe('vitals:a1');
        const got = await lg.getContext(g, 'vitals:a1');
        expect(got).toMatchObject({
          locus_id: r.locus_id,
          graph_id: g,
          context_id: 'vitals:a1',
          event_kind: 'fact',
          source: 'user',
          payload: { heart_rate: 72 },
          timestamp: '2026-02-18T02:30:00.000Z',
        });
        expect(got!.created_at).toBe(got!.updated_at);
      });

      it('returns null for a context that was never written', async () => {
        expect(await lg.getContext(graph(), 'vitals:nope')).toBeNull();
      });

      it('defaults the event time to the first write', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'medication:m1', { name: 'Metformin' }));
        const got = await lg.getContext(g, 'medication:m1');
        expect(got!.timestamp).toBe(got!.created_at);
        expect(got!.source).toBe('user');
      });

      it('keeps links given with the event', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'med_schedule:s1', { time_of_day: '08:00' }, { related_to: ['medication:m1'] }));
        expect((await lg.getContext(g, 'med_schedule:s1'))!.related_to).toEqual(['medication:m1']);
      });
    });

    describe('one memory per context: unchanged, conflict, replace', () => {
      it('answers unchanged for an identical second write, whatever the key order', async () => {
        const g = graph();
        const first = await lg.storeEvent(ev(g, 'water:w1', { amount_ml: 250, logged_at: at(1) }));
        const again = await lg.storeEvent(ev(g, 'water:w1', { logged_at: at(1), amount_ml: 250 }));
        expect(again).toMatchObject({ status: 'unchanged', locus_id: first.locus_id });
      });

      it('refuses a different payload without replace and keeps the original', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'notification:n1', { title: 'first' }));
        const err = await codeOf(lg.storeEvent(ev(g, 'notification:n1', { title: 'second' })));
        expect(err.code).toBe('CONFLICT');
        expect((await lg.getContext(g, 'notification:n1'))!.payload).toEqual({ title: 'first' });
      });

      it('replaces with replace:true, keeping locus id and created_at', async () => {
        const g = graph();
        const first = await lg.storeEvent(ev(g, 'profile:u1', { weight_kg: 60 }));
        const before = await lg.getContext(g, 'profile:u1');
        await new Promise((r) => setTimeout(r, 5));
        const r = await lg.storeEvent(ev(g, 'profile:u1', { weight_kg: 61 }, { replace: true }));
        expect(r).toMatchObject({ status: 'replaced', locus_id: first.locus_id });
        const after = await lg.getContext(g, 'profile:u1');
        expect(after!.payload).toEqual({ weight_kg: 61 });
        expect(after!.created_at).toBe(before!.created_at);
        expect(Date.parse(after!.updated_at)).toBeGreaterThan(Date.parse(before!.updated_at));
      });

      it('answers unchanged for replace:true with the same payload', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'profile:u1', { weight_kg: 60 }));
        expect((await lg.storeEvent(ev(g, 'profile:u1', { weight_kg: 60 }, { replace: true }))).status).toBe('unchanged');
      });

      it('treats a moved timestamp as a different memory', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'sleep:s1', { quality: 7 }, { timestamp: at(0) }));
        expect((await codeOf(lg.storeEvent(ev(g, 'sleep:s1', { quality: 7 }, { timestamp: at(5) })))).code).toBe('CONFLICT');
        await lg.storeEvent(ev(g, 'sleep:s1', { quality: 7 }, { timestamp: at(5), replace: true }));
        expect((await lg.getContext(g, 'sleep:s1'))!.timestamp).toBe(at(5));
      });
    });

    describe('bad input is refused and nothing is written', () => {
      const bad: Array<[string, (g: string) => unknown]> = [
        ['a malformed graph id', () => ev('bad graph!', 'vitals:x', { a: 1 })],
        ['a context id without a type', (g) => ev(g, 'novalue', { a: 1 })],
        ['a context id with spaces', (g) => ev(g, 'vitals:a b', { a: 1 })],
        ['an upper-case context type', (g) => ev(g, 'Vitals:x', { a: 1 })],
        ['a payload that is an array', (g) => ({ ...ev(g, 'vitals:x', {}), payload: [1, 2] })],
        ['a payload over 64 KB', (g) => ev(g, 'vitals:x', { notes: 'x'.repeat(64 * 1024) })],
        ['an unknown event kind', (g) => ({ ...ev(g, 'vitals:x', { a: 1 }), event_kind: 'gossip' })],
        ['a timestamp without offset', (g) => ev(g, 'vitals:x', { a: 1 }, { timestamp: '2026-02-18T08:00:00' })],
        ['an unknown field', (g) => ({ ...ev(g, 'vitals:x', { a: 1 }), colour: 'red' })],
      ];
      for (const [what, make] of bad) {
        it(`refuses ${what}`, async () => {
          const g = graph();
          const err = await codeOf(lg.storeEvent(make(g) as EventInput));
          expect(err.code).toBe('VALIDATION_ERROR');
          expect((await lg.listContextType(g, 'vitals')).items).toEqual([]);
        });
      }

      it('refuses malformed ids on reads and forgets', async () => {
        const g = graph();
        expect((await codeOf(lg.getContext(g, 'no-colon'))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.getContext('bad graph', 'vitals:x'))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.forgetContext(g, 'vitals:'))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.listContextType(g, 'Bad-Type'))).code).toBe('VALIDATION_ERROR');
      });

      it('refuses bad list options', async () => {
        const g = graph();
        expect((await codeOf(lg.listContextType(g, 'vitals', { limit: 0 }))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.listContextType(g, 'vitals', { limit: 1001 }))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.listContextType(g, 'vitals', { cursor: 'garbage!' }))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.listContextType(g, 'vitals', { from: 'yesterday' }))).code).toBe('VALIDATION_ERROR');
        expect((await codeOf(lg.listContextType(g, 'vitals', { from: at(10), to: at(0) }))).code).toBe('VALIDATION_ERROR');
      });
    });

    describe('concurrent writes', () => {
      it('fails exactly the conflicting and invalid calls among many concurrent ones; every other is committed', async () => {
        const g = graph();
        await lg.storeBatch(Array.from({ length: 5 }, (_, i) => ev(g, `water:taken${i}`, { amount_ml: i })));
        const calls: Array<{ kind: 'new' | 'conflict' | 'same' | 'invalid'; p: Promise<unknown> }> = [];
        for (let i = 0; i < 40; i++) {
          if (i % 8 === 3) calls.push({ kind: 'conflict', p: lg.storeEvent(ev(g, `water:taken${(i >> 3) % 5}`, { amount_ml: 1000 + i })) });
          else if (i % 8 === 5) calls.push({ kind: 'same', p: lg.storeEvent(ev(g, `water:taken${(i >> 3) % 5}`, { amount_ml: (i >> 3) % 5 })) });
          else if (i === 17) calls.push({ kind: 'invalid', p: lg.storeEvent(ev(g, 'water:bad id', { amount_ml: 1 })) });
          else calls.push({ kind: 'new', p: lg.storeEvent(ev(g, `water:n${i}`, { amount_ml: i })) });
        }
        const settled = await Promise.allSettled(calls.map((c) => c.p));
        settled.forEach((s, i) => {
          const kind = calls[i]!.kind;
          if (kind === 'conflict' || kind === 'invalid') {
            expect(s.status, `call ${i}`).toBe('rejected');
            const err = (s as PromiseRejectedResult).reason as AppError;
            expect(err).toBeInstanceOf(AppError);
            expect(err.code).toBe(kind === 'conflict' ? 'CONFLICT' : 'VALIDATION_ERROR');
          } else {
            expect(s.status, `call ${i}`).toBe('fulfilled');
            expect(((s as PromiseFulfilledResult<{ status: string }>).value).status).toBe(kind === 'new' ? 'created' : 'unchanged');
          }
        });
        const stored = (await lg.listContextType(g, 'water', { limit: 100 })).items;
        const newOnes = calls.flatMap((c, i) => (c.kind === 'new' ? [`water:n${i}`] : []));
        expect(stored.map((e) => e.context_id).sort()).toEqual([...newOnes, ...Array.from({ length: 5 }, (_, i) => `water:taken${i}`)].sort());
        for (const e of stored) {
          if (e.context_id.startsWith('water:taken')) expect(e.payload).toEqual({ amount_ml: Number(e.context_id.slice('water:taken'.length)) });
          else expect(e.payload).toEqual({ amount_ml: Number(e.context_id.slice('water:n'.length)) });
        }
      });

      it('a caller that awaited its write reads it back on every read path, however many writes run beside it', async () => {
        const g = graph();
        const since = new Date(Date.now() - 1000).toISOString();
        const results = await Promise.all(
          Array.from({ length: 25 }, async (_, i) => {
            const word = `kiwiword${i}x`;
            await lg.storeEvent(ev(g, `food:f${i}`, { description: word }, { timestamp: at(i) }));
            const got = await lg.getContext(g, `food:f${i}`);
            const found = await lg.searchMemories({ graph_id: g, query: word });
            const listed = await lg.listContextType(g, 'food', { from: at(i), to: at(i + 1) });
            return { got: got?.payload, found: found.items.map((m) => m.context_ids[0]), listed: listed.items.map((e) => e.context_id) };
          }),
        );
        results.forEach((r, i) => {
          expect(r.got).toEqual({ description: `kiwiword${i}x` });
          expect(r.found).toEqual([`food:f${i}`]);
          expect(r.listed).toEqual([`food:f${i}`]);
        });
        expect((await lg.eventsSince(g, since, { limit: 100 })).items).toHaveLength(25);
      });

      it('a concurrent batch stays all or nothing beside single writes and forgets that succeed', async () => {
        const g = graph();
        await lg.storeBatch([ev(g, 'mood:taken', { mood: 'calm' }, { timestamp: at(1) }), ev(g, 'mood:old', { mood: 'meh' }, { timestamp: at(0) })]);
        const single = lg.storeEvent(ev(g, 'mood:single', { mood: 'happy' }, { timestamp: at(2) }));
        const batch = lg.storeBatch([ev(g, 'mood:b1', { mood: 'tired' }), ev(g, 'mood:taken', { mood: 'sad' })]);
        const forget = lg.forgetContext(g, 'mood:old');
        expect((await codeOf(batch)).code).toBe('CONFLICT');
        expect((await single).status).toBe('created');
        expect(await forget).toEqual({ forgotten: true });
        expect(await lg.getContext(g, 'mood:b1')).toBeNull();
        expect((await lg.listContextType(g, 'mood')).items.map((e) => e.context_id)).toEqual(['mood:single', 'mood:taken']);
      });
    });

    describe('storeBatch', () => {
      it('writes every event and reports each status in order', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'water:w0', { amount_ml: 100 }));
        const results = await lg.storeBatch([
          ev(g, 'water:w0', { amount_ml: 100 }),
          ev(g, 'water:w1', { amount_ml: 200 }),
          ev(g, 'water:w0', { amount_ml: 150 }, { replace: true }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['unchanged', 'created', 'replaced']);
        expect((await lg.getContext(g, 'water:w0'))!.payload).toEqual({ amount_ml: 150 });
        expect((await lg.getContext(g, 'water:w1'))!.payload).toEqual({ amount_ml: 200 });
      });

      it('is all or nothing when one event conflicts', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'water:taken', { amount_ml: 100 }));
        const err = await codeOf(
          lg.storeBatch([ev(g, 'water:a', { amount_ml: 1 }), ev(g, 'water:b', { amount_ml: 2 }), ev(g, 'water:taken', { amount_ml: 3 })]),
        );
        expect(err.code).toBe('CONFLICT');
        expect(err.details.index).toBe(2);
        expect(await lg.getContext(g, 'water:a')).toBeNull();
        expect(await lg.getContext(g, 'water:b')).toBeNull();
      });

      it('is all or nothing when one event is invalid, naming its index', async () => {
        const g = graph();
        const err = await codeOf(lg.storeBatch([ev(g, 'water:a', { amount_ml: 1 }), ev(g, 'water b', { amount_ml: 2 })]));
        expect(err.code).toBe('VALIDATION_ERROR');
        expect(err.details.index).toBe(1);
        expect(await lg.getContext(g, 'water:a')).toBeNull();
      });

      it('refuses more than 1000 events', async () => {
        const g = graph();
        const many = Array.from({ length: 1001 }, (_, i) => ev(g, `water:w${i}`, { amount_ml: i }));
        expect((await codeOf(lg.storeBatch(many))).code).toBe('VALIDATION_ERROR');
        expect(await lg.getContext(g, 'water:w0')).toBeNull();
      });
    });

    describe('listContextType', () => {
      it('pages newest first by event time with no gaps or repeats, ties included', async () => {
        const g = graph();
        // 45 events; five share one timestamp so a page boundary falls inside the tie.
        const events = Array.from({ length: 45 }, (_, i) => ev(g, `vitals:v${i}`, { i }, { timestamp: at(i < 5 ? 18 : i) }));
        await lg.storeBatch(events.reverse());
        await lg.storeEvent(ev(g, 'food:f1', { i: -1 }, { timestamp: at(100) }));
        const { seen, pages } = await allPages(g, 'vitals', 20);
        expect(pages).toBe(3);
        expect(seen).toHaveLength(45);
        expect(new Set(seen.map((e) => e.context_id)).size).toBe(45);
        const times = seen.map((e) => Date.parse(e.timestamp));
        expect([...times].sort((a, b) => b - a)).toEqual(times);
        expect(seen.every((e) => e.context_id.startsWith('vitals:'))).toBe(true);
      });

      it('filters on the event time: from inclusive, to exclusive', async () => {
        const g = graph();
        await lg.storeBatch(Array.from({ length: 10 }, (_, i) => ev(g, `mood:m${i}`, { i }, { timestamp: at(i * 10) })));
        const page = await lg.listContextType(g, 'mood', { from: at(20), to: at(60) });
        expect(page.items.map((e) => e.payload.i)).toEqual([5, 4, 3, 2]);
        const { seen } = await allPages(g, 'mood', 3, { from: at(20), to: at(60) });
        expect(seen.map((e) => e.payload.i)).toEqual([5, 4, 3, 2]);
      });

      it('ends with a null cursor and an empty list for an unknown type', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'water:w', { amount_ml: 1 }));
        expect(await lg.listContextType(g, 'water')).toEqual({ items: [expect.objectContaining({ context_id: 'water:w' })], next_cursor: null });
        expect(await lg.listContextType(g, 'sleep')).toEqual({ items: [], next_cursor: null });
      });

      it('defaults to 20 items per page', async () => {
        const g = graph();
        await lg.storeBatch(Array.from({ length: 25 }, (_, i) => ev(g, `water:w${i}`, { i }, { timestamp: at(i) })));
        const page = await lg.listContextType(g, 'water');
        expect(page.items).toHaveLength(20);
        expect(page.next_cursor).not.toBeNull();
      });
    });

    describe('searchMemories', () => {
      it('finds memories by words in their payload, best match first', async () => {
        const g = graph();
        await lg.storeBatch([
          ev(g, 'medication:m1', { name: 'Metformin', instructions: 'after meals' }),
          ev(g, 'medication:m2', { name: 'Amlodipine' }),
          ev(g, 'food:f1', { description: 'Rice and dal with metformin reminder' }),
        ]);
        const r = await lg.searchMemories({ graph_id: g, query: 'metformin' });
        expect(r.items.map((i) => i.context_ids[0]).sort()).toEqual(['food:f1', 'medication:m1']);
        for (const item of r.items) {
          expect(item.match_score).toBeGreaterThan(0);
          expect(item.match_score).toBeLessThanOrEqual(1);
          expect(item.locus_id).toMatch(/^L[0-9a-f]{16}$/);
          expect(item.text.toLowerCase()).toContain('metformin');
        }
        const m1 = r.items.find((i) => i.context_ids[0] === 'medication:m1')!;
        expect(m1.value).toEqual({ name: 'Metformin', instructions: 'after meals' });
        expect(m1.event_kind).toBe('fact');
      });

      it('requires every meaningful word and ignores case and accents', async () => {
        const g = graph();
        await lg.storeBatch([ev(g, 'food:f1', { description: 'Café latte' }), ev(g, 'food:f2', { description: 'cafe au lait' })]);
        expect((await lg.searchMemories({ graph_id: g, query: 'CAFE' })).items).toHaveLength(2);
        expect((await lg.searchMemories({ graph_id: g, query: 'what was my cafe latte' })).items.map((i) => i.context_ids[0])).toEqual(['food:f1']);
        expect((await lg.searchMemories({ graph_id: g, query: '!!! ???' })).items).toEqual([]);
      });

      it('filters by context type, context id, kind and time', async () => {
        const g = graph();
        await lg.storeBatch([
          ev(g, 'vitals:v1', { note: 'walk done' }, { timestamp: at(0) }),
          ev(g, 'exercise:e1', { note: 'walk done' }, { timestamp: at(10) }),
          ev(g, 'exercise:e2', { note: 'walk done' }, { timestamp: at(20), event_kind: 'action', source: 'assistant' }),
        ]);
        const ids = async (q: Partial<Parameters<LocusGraph['searchMemories']>[0]>) =>
          (await lg.searchMemories({ graph_id: g, query: 'walk', ...q })).items.map((i) => i.context_ids[0]).sort();
        expect(await ids({ context_types: { exercise: [] } })).toEqual(['exercise:e1', 'exercise:e2']);
        expect(await ids({ context_types: { exercise: ['e2'] } })).toEqual(['exercise:e2']);
        expect(await ids({ context_ids: ['vitals:v1'] })).toEqual(['vitals:v1']);
        expect(await ids({ event_kinds: ['action'] })).toEqual(['exercise:e2']);
        expect(await ids({ from: at(5), to: at(20) })).toEqual(['exercise:e1']);
        expect(await ids({ sources: ['assistant'] })).toEqual(['exercise:e2']);
        expect(await ids({ sources: ['user'], context_types: { exercise: [] } })).toEqual(['exercise:e1']);
      });

      it('with an empty query returns the filtered memories newest first, with limit and offset', async () => {
        const g = graph();
        await lg.storeBatch(Array.from({ length: 6 }, (_, i) => ev(g, `mood:m${i}`, { i }, { timestamp: at(i) })));
        await lg.storeEvent(ev(g, 'water:w', { amount_ml: 1 }, { timestamp: at(50) }));
        const r = await lg.searchMemories({ graph_id: g, query: '', context_types: { mood: [] }, limit: 2, offset: 1 });
        expect(r.items.map((i) => i.value.i)).toEqual([4, 3]);
        expect(r.items[0]!.match_score).toBe(0);
      });

      it('refuses a limit over 100', async () => {
        expect((await codeOf(lg.searchMemories({ graph_id: graph(), query: 'x', limit: 101 }))).code).toBe('VALIDATION_ERROR');
      });
    });

    describe('eventsSince', () => {
      it('lists writes after a time, oldest first, paging, with replaced events moved to the end', async () => {
        const g = graph();
        const since = new Date(Date.now() - 1000).toISOString();
        await lg.storeBatch(Array.from({ length: 7 }, (_, i) => ev(g, `water:w${i}`, { i })));
        await lg.storeEvent(ev(g, 'water:w0', { i: 100 }, { replace: true }));
        const seen: StoredEvent[] = [];
        let cursor: string | undefined;
        do {
          const page = await lg.eventsSince(g, since, { limit: 3, cursor });
          seen.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        expect(seen.map((e) => e.context_id)).toEqual(['water:w1', 'water:w2', 'water:w3', 'water:w4', 'water:w5', 'water:w6', 'water:w0']);
        expect(seen[6]!.payload).toEqual({ i: 100 });
      });

      it('returns nothing for a time after the last write', async () => {
        const g = graph();
        await lg.storeEvent(ev(g, 'water:w', { i: 1 }));
        const later = new Date(Date.now() + 60_000).toISOString();
        expect(await lg.eventsSince(g, later)).toEqual({ items: [], next_cursor: null });
      });
    });

    describe('forgetContext', () => {
      it('deletes the memory from every read path, with no tombstone', async () => {
        const g = graph();
        const since = new Date(Date.now() - 1000).toISOString();
        await lg.storeEvent(ev(g, 'food:gone', { description: 'zanzibarfruit' }, { timestamp: at(1) }));
        await lg.storeEvent(ev(g, 'food:kept', { description: 'apple' }, { timestamp: at(2) }));
        expect(await lg.forgetContext(g, 'food:gone')).toEqual({ forgotten: true });
        expect(await lg.getContext(g, 'food:gone')).toBeNull();
        expect((await lg.listContextType(g, 'food')).items.map((e) => e.context_id)).toEqual(['food:kept']);
        expect((await lg.searchMemories({ graph_id: g, query: 'zanzibarfruit' })).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: g, query: '' })).items.map((i) => i.context_ids[0])).toEqual(['food:kept']);
        expect((await lg.eventsSince(g, since)).items.map((e) => e.context_id)).toEqual(['food:kept']);
      });

      it('answers false for a context that does not exist, and the context can be written afresh', async () => {
        const g = graph();
        expect(await lg.forgetContext(g, 'food:never')).toEqual({ forgotten: false });
        await lg.storeEvent(ev(g, 'food:x', { description: 'one' }));
        await lg.forgetContext(g, 'food:x');
        expect(await lg.forgetContext(g, 'food:x')).toEqual({ forgotten: false });
        expect((await lg.storeEvent(ev(g, 'food:x', { description: 'two' }))).status).toBe('created');
      });
    });

    describe('forgetGraph', () => {
      it('deletes every event of the graph from every read path and leaves other graphs alone', async () => {
        const g = graph();
        const other = graph();
        const since = new Date(Date.now() - 1000).toISOString();
        await lg.storeEvent(ev(g, 'profile:me', { name: 'emufeather' }));
        await lg.storeBatch([ev(g, 'food:a', { description: 'emufeather dal' }, { timestamp: at(1) }), ev(g, 'vitals:b', { heart_rate: 70 }, { timestamp: at(2) })]);
        await lg.storeEvent(ev(other, 'food:a', { description: 'emufeather rice' }, { timestamp: at(3) }));

        expect(await lg.forgetGraph(g)).toEqual({ forgotten: 3 });
        expect(await lg.getContext(g, 'profile:me')).toBeNull();
        for (const type of ['profile', 'food', 'vitals']) expect((await lg.listContextType(g, type)).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: g, query: 'emufeather' })).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: g, query: '' })).items).toEqual([]);
        expect((await lg.eventsSince(g, since)).items).toEqual([]);

        expect((await lg.getContext(other, 'food:a'))!.payload).toEqual({ description: 'emufeather rice' });
        expect((await lg.searchMemories({ graph_id: other, query: 'emufeather' })).items).toHaveLength(1);
      });

      it('answers 0 for a graph that does not exist, and a forgotten graph starts afresh', async () => {
        const g = graph();
        expect(await lg.forgetGraph(g)).toEqual({ forgotten: 0 });
        await lg.storeEvent(ev(g, 'food:x', { description: 'one' }));
        expect(await lg.forgetGraph(g)).toEqual({ forgotten: 1 });
        expect(await lg.forgetGraph(g)).toEqual({ forgotten: 0 });
        expect((await lg.storeEvent(ev(g, 'food:x', { description: 'two' }))).status).toBe('created');
        expect((await lg.listContextType(g, 'food')).items.map((e) => e.payload)).toEqual([{ description: 'two' }]);
      });

      it('refuses a malformed graph id', async () => {
        expect((await codeOf(lg.forgetGraph('bad graph!'))).code).toBe('VALIDATION_ERROR');
      });
    });

    describe('isolation between graphs', () => {
      it('nothing written to graph A is visible from graph B by any operation', async () => {
        const a = graph();
        const b = graph();
        const since = new Date(Date.now() - 1000).toISOString();
        await lg.storeEvent(ev(a, 'vitals:shared', { note: 'quokkasecret systolic' }, { timestamp: at(1) }));
        await lg.storeBatch([ev(a, 'vitals:only_a', { note: 'quokkasecret' }, { timestamp: at(2) })]);
        await lg.storeEvent(ev(b, 'water:only_b', { note: 'wallabyword' }, { timestamp: at(3) }));

        expect(await lg.getContext(b, 'vitals:only_a')).toBeNull();
        expect(await lg.getContext(b, 'vitals:shared')).toBeNull();
        expect((await lg.listContextType(b, 'vitals')).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: b, query: 'quokkasecret' })).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: b, query: 'systolic' })).items).toEqual([]);
        expect((await lg.searchMemories({ graph_id: b, query: '' })).items.map((i) => i.context_ids[0])).toEqual(['water:only_b']);
        expect((await lg.searchMemories({ graph_id: b, query: '', context_ids: ['vitals:only_a'] })).items).toEqual([]);
        expect((await lg.eventsSince(b, since)).items.map((e) => e.context_id)).toEqual(['water:only_b']);
        expect((await lg.searchMemories({ graph_id: a, query: 'wallabyword' })).items).toEqual([]);
      });

      it('the same context id lives independently in two graphs', async () => {
        const a = graph();
        const b = graph();
        await lg.storeEvent(ev(a, 'profile:me', { weight_kg: 60 }));
        expect((await lg.storeEvent(ev(b, 'profile:me', { weight_kg: 90 }))).status).toBe('created');
        expect(await lg.forgetContext(b, 'profile:me')).toEqual({ forgotten: true });
        expect((await lg.getContext(a, 'profile:me'))!.payload).toEqual({ weight_kg: 60 });
        expect(await lg.forgetContext(b, 'profile:me')).toEqual({ forgotten: false });
      });
    });
  });
}
