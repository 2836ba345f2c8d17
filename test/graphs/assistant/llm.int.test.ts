/**
 * LLM mode against the fake Sarvam server (OpenAI-compatible /v1/chat/completions speaking the
 * real wire format): the router by structured output (a forced `route_turn` function call),
 * agents by tool calling over the user's tools, and the offline fallback on errors and timeouts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../graphs/assistant/index.js';
import type { Route } from '../../../graphs/assistant/nlu/types.js';
import { createChatModel } from '../../../src/llm/index.js';
import { startFakeSarvam, type ChatRequestBody, type FakeSarvam, type ScriptedChatReply } from '../../fakes/sarvam/index.js';
import { assistantOn, embeddedHealth, turn, type Harness } from './helpers.js';

const KEY = 'sk_llm_graph_0007';
let fake: FakeSarvam;
let h: Harness;
let a: Assistant;
/** What the router says next, and the agent's scripted replies in order. */
let routeAs: Route | 'broken' = 'chat';
let agentReplies: ScriptedChatReply[] = [];
/** Runs once after the next agent reply is served (to fail the request after it). */
let afterAgentReply: (() => void) | undefined;

type Body = ChatRequestBody & { tool_choice?: { function?: { name?: string } }; tools?: Array<{ function: { name: string } }>; messages: Array<{ role: string; content: unknown }> };
const isRouterCall = (b: Body): boolean => b.tool_choice?.function?.name === 'route_turn';

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      chat: (body) => {
        if (isRouterCall(body as Body)) {
          return routeAs === 'broken'
            ? { toolCalls: [{ name: 'route_turn', arguments: '{"route": "nonsense"' }] }
            : { toolCalls: [{ name: 'route_turn', arguments: { route: routeAs, slots: {}, missing: [] } }] };
        }
        const reply = agentReplies.shift() ?? { content: 'OK.' };
        const hook = afterAgentReply;
        afterAgentReply = undefined;
        hook?.();
        return reply;
      },
    },
  });
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
  routeAs = 'chat';
  agentReplies = [];
  afterAgentReply = undefined;
  h = embeddedHealth();
  const model = createChatModel({ llm: { provider: 'sarvam', timeoutMs: 3000 }, sarvam: { apiKey: KEY, baseUrl: fake.url } });
  a = assistantOn(h, { llm: model ?? null, settings: { llmTimeoutMs: 1500 } });
});
afterEach(async () => {
  await h.close();
});

const U = 'user-llm';
const say = async (text: string) => {
  h.clock.now += 60_000;
  return a.runWithState(turn(U, text));
};
const list = async (type: 'food' | 'vitals' | 'chat') => (await h.health.forUser(U).list(type, { limit: 100 })).items as Array<Record<string, unknown>>;
const bodies = (): Body[] => fake.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Body);

describe('LLM router and agents', () => {
  it('routes by structured output and logs through the same tool the offline agent uses', async () => {
    routeAs = 'food';
    agentReplies = [{ toolCalls: [{ id: 'call_f1', name: 'log_food', arguments: { items: [{ food: 'poha', quantity: 1, unit: 'plate' }], meal_type: 'breakfast' } }] }];
    const r = await say('had my usual morning plate');
    expect(r.state.llm).toBe('agent');
    expect(r.route).toBe('food');
    const [food] = await list('food');
    expect(food).toMatchObject({ meal_type: 'breakfast', items: [expect.objectContaining({ quantity: 1, unit: 'plate' })] });
    expect(r.actions).toEqual([{ type: 'food', id: food!.id }]);
    // The confirmation is templated from what was stored, not LLM wording.
    expect(r.reply).toMatch(/^Logged .*poha.* for breakfast, about \d+ calories\.$/);

    const [router, agent] = bodies();
    expect(isRouterCall(router!)).toBe(true);
    expect(agent!.tools!.map((t) => t.function.name).sort()).toEqual([
      'create_alarm', 'create_appointment', 'get_insights', 'get_profile', 'get_recent', 'log_dose', 'log_food', 'log_tracking', 'log_vital', 'search_memories',
    ]);
    // No tool takes a user id.
    expect(JSON.stringify(agent!.tools)).not.toMatch(/user_?id/i);
    expect(bodies()).toHaveLength(2);
  });

  it('keeps a complete offline parse and does not call the LLM for it', async () => {
    routeAs = 'chat';
    const r = await say('my BP is 140 over 90');
    expect(r.state.llm).toBe('skipped');
    expect(r.reply).toBe('Saved your blood pressure, 140 over 90.');
    expect(bodies()).toHaveLength(0);
  });

  it('reads "yes" and "remind me later" as answers to the reminder just spoken, without the LLM', async () => {
    routeAs = 'chat';
    const u = h.health.forUser(U);
    const med = await u.create('medication', { name: 'Metformin' });
    const schedule = await u.create('med_schedule', { medication_id: med.id, time_of_day: '09:55', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    const fire = { title: 'Time for Metformin', message: 'Time for Metformin.', type: 'medication', read: false, reference_id: `med_schedule:${schedule.id}` };
    await u.store.storeEvent('notification', { ...fire, fire_at: new Date(h.clock.now).toISOString() }, { id: 'fire-llm-1', source: 'system' });
    const later = await say('remind me later');
    expect([later.route, later.state.llm]).toEqual(['reminder', 'skipped']);
    expect((await u.list('alarm')).items).toMatchObject([{ reference_id: 'notification:fire-llm-1' }]);
    await u.store.storeEvent('notification', { ...fire, fire_at: new Date(h.clock.now).toISOString() }, { id: 'fire-llm-2', source: 'system' });
    const yes = await say('yes');
    expect([yes.route, yes.state.llm]).toEqual(['medication', 'skipped']);
    expect((await u.list('medication_log')).items).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'taken' }]);
    expect(bodies()).toHaveLength(0);
  });

  it('answers chat with the LLM text, made speakable, and stores it', async () => {
    routeAs = 'chat';
    agentReplies = [{ content: '**Sure!** Here is one:\n- Stay active.\nDrink water. Sleep well. Smile more.' }];
    const r = await say('tell me something nice');
    expect(r.reply).toBe('Sure! Here is one: Stay active. Drink water.');
    expect((await list('chat'))[0]).toMatchObject({ ai_response: r.reply, context: expect.objectContaining({ route: 'chat', llm: 'agent' }) });
    expect(bodies()[1]!.messages[0]!.content).toContain('Reply in English');
  });

  it('a turn started before its words: the LLM budget starts when they arrive, not before', async () => {
    const model = createChatModel({ llm: { provider: 'sarvam', timeoutMs: 3000 }, sarvam: { apiKey: KEY, baseUrl: fake.url } });
    a = assistantOn(h, { llm: model ?? null, settings: { llmTimeoutMs: 300 } });
    routeAs = 'chat';
    agentReplies = [{ content: 'Happy to talk.' }];
    const heard = new Promise<{ text: string; language: string }>((r) => setTimeout(() => r({ text: 'tell me something nice', language: 'en-IN' }), 600));
    const r = await a.runWithState({ ...turn('user-a', ''), channel: 'voice' }, { heard });
    expect([r.state.llm, r.reply]).toEqual(['agent', 'Happy to talk.']);
    expect(bodies().at(-1)!.messages.at(-1)!.content).toBe('tell me something nice');
  });

  it('reads the user data with a tool, then phrases the answer', async () => {
    await say('my BP is 150 over 95');
    fake.clearRequests();
    routeAs = 'health_query';
    agentReplies = [
      { toolCalls: [{ id: 'call_r1', name: 'get_recent', arguments: { type: 'vitals', limit: 5 } }] },
      { content: 'Your last BP was 150 over 95.' },
    ];
    const r = await say('anything unusual in my numbers');
    expect(r.reply).toBe('Your last BP was 150 over 95.');
    const second = bodies()[2]!;
    const toolMessage = second.messages.find((m) => m.role === 'tool');
    expect(String(toolMessage?.content)).toContain('"blood_pressure_systolic":150');
  });

  it('phrases rule-based advice but does not decide it', async () => {
    await say('my BP is 150 over 95');
    fake.clearRequests();
    routeAs = 'recommendation';
    agentReplies = [{ content: 'Your blood pressure is high. Please rest and measure again, and talk to your doctor.' }];
    const r = await say('is my BP okay');
    expect(r.route).toBe('recommendation');
    expect(r.reply).toContain('talk to your doctor');
    // A complete offline parse: no router call, one phrasing call without tools.
    expect(bodies()).toHaveLength(1);
    const system = String(bodies()[0]!.messages[0]!.content);
    expect(system).toContain('150/95');
    expect(bodies()[0]!.tools).toBeUndefined();
  });

  it('answers a diet question from the diet rules, word for word: no model call, no tool, nothing logged', async () => {
    // Were the model asked, it would call it a meal and log it.
    routeAs = 'food';
    agentReplies = [{ toolCalls: [{ id: 'call_d1', name: 'log_food', arguments: { items: [{ food: 'rice', quantity: 1 }] } }] }];
    for (const text of ['is rice good for diabetes', 'kya main chawal kha sakta hoon', 'क्या मैं आम खा सकता हूँ']) {
      const r = await say(text);
      expect([r.route, r.state.llm], text).toEqual(['recommendation', 'agent']);
      expect(r.actions, text).toEqual([]);
    }
    expect((await say('is rice good for diabetes')).reply).toMatch(/^With diabetes, rice raises sugar quickly.* I have not logged it as a meal\./);
    expect(await list('food')).toEqual([]);
    expect(bodies()).toHaveLength(0);
  });

  it('never writes an impossible reading the LLM passes to a tool', async () => {
    routeAs = 'log';
    agentReplies = [{ toolCalls: [{ name: 'log_vital', arguments: { systolic: 900, diastolic: 5 } }] }];
    const r = await say('note this reading please');
    expect(await list('vitals')).toEqual([]);
    expect(r.reply).toBe("That number doesn't look right. Could you say the reading again?");
    expect(r.actions).toEqual([]);
  });

  it('sends an emergency straight to the templated reply without calling the LLM', async () => {
    const r = await say('chest pain');
    expect(r.route).toBe('emergency');
    expect(r.reply).toMatch(/112/);
    expect(bodies()).toHaveLength(0);
  });

  it('takes an emergency the LLM recognised and the offline NLU did not', async () => {
    routeAs = 'emergency';
    const r = await say('papa is not answering me at all');
    expect(r.route).toBe('emergency');
    expect(r.reply).toMatch(/112/);
  });
});

describe('fallback to the offline path', () => {
  it('on an HTTP error from the LLM', async () => {
    fake.control.inject('chat', { kind: 'status', status: 500 }, 5);
    const r = await say('had my usual morning plate');
    expect(r.state.llm).toBe('fallback');
    expect(r.route).toBe('chat');
    expect(r.reply).toContain("I'm here to help with your health");
    expect(await list('food')).toEqual([]);
  });

  it('on a timeout, within the turn budget', async () => {
    fake.control.inject('chat', { kind: 'hang' }, 5);
    const model = createChatModel({ llm: { provider: 'sarvam', timeoutMs: 3000 }, sarvam: { apiKey: KEY, baseUrl: fake.url } });
    a = assistantOn(h, { llm: model ?? null, settings: { llmTimeoutMs: 200 } });
    const r = await say('hello there my friend');
    expect(r.state.llm).toBe('fallback');
    expect(r.reply).toBe('Namaste! How can I help you today?');
  });

  it('on a router answer that does not match the schema', async () => {
    routeAs = 'broken';
    const r = await say('tell me something nice');
    expect(r.state.llm).toBe('fallback');
    expect(r.route).toBe('chat');
    expect(bodies()).toHaveLength(1);
  });

  it('when the agent gives no usable answer after routing', async () => {
    routeAs = 'food';
    agentReplies = [{ content: '' }];
    const r = await say('had my usual morning plate');
    expect(bodies()).toHaveLength(2);
    expect(r.state.llm).toBe('fallback');
    expect(r.route).toBe('chat');
    expect(await list('food')).toEqual([]);
  });

  it('after a write, speaks what was written even if the phrasing call fails', async () => {
    routeAs = 'log';
    agentReplies = [
      { toolCalls: [{ name: 'log_vital', arguments: { systolic: 130, diastolic: 85 } }, { name: 'get_profile', arguments: {} }] },
    ];
    afterAgentReply = () => fake.control.inject('chat', { kind: 'status', status: 500 });
    const r = await say('note this reading please');
    expect(bodies()).toHaveLength(3);
    expect(await list('vitals')).toHaveLength(1);
    expect(r.reply).toBe('Saved your blood pressure, 130 over 85.');
    expect(r.actions).toHaveLength(1);
  });
});
