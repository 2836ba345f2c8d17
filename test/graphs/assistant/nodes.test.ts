/** The graph's nodes and helpers called directly, as the LangGraph templates test them. */
import { END, START } from '@langchain/langgraph';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDefaults, type TurnRuntime } from '../../../graphs/assistant/configuration.js';
import { afterLlmAgent, afterRouter, graph } from '../../../graphs/assistant/graph.js';
import { normalize } from '../../../graphs/assistant/nlu/normalize.js';
import type { NluResult } from '../../../graphs/assistant/nlu/types.js';
import { defaultFoodIndex } from '../../../graphs/assistant/nlu/nutrition.js';
import { chatAgent } from '../../../graphs/assistant/nodes/agents/chat.js';
import { emergencyAgent } from '../../../graphs/assistant/nodes/agents/emergency.js';
import { loadContextNode } from '../../../graphs/assistant/nodes/load-context.js';
import { normalizeNode } from '../../../graphs/assistant/nodes/normalize.js';
import { respondNode } from '../../../graphs/assistant/nodes/respond.js';
import { MAX_ASKS, routerNode } from '../../../graphs/assistant/nodes/router.js';
import { renderAll, say, speakDate, speakTime } from '../../../graphs/assistant/speech.js';
import { turnInput, type AssistantStateType, type AssistantUpdate, type TurnContext } from '../../../graphs/assistant/state.js';
import { embeddedHealth, type Harness } from './helpers.js';

let h: Harness;
beforeEach(() => {
  h = embeddedHealth();
});
afterEach(() => h.close());

const U = 'node-user';
function cfg(): LangGraphRunnableConfig {
  const runtime: TurnRuntime = { health: h.health.forUser(U), configuration: withDefaults(), now: () => new Date(h.clock.now), foodIndex: defaultFoodIndex() };
  return { configurable: { runtime } };
}
/** A node's update read as plain state fields (the Update type also admits Overwrite wrappers). */
const plain = (u: AssistantUpdate | Promise<AssistantUpdate>) => u as Partial<AssistantStateType> | Promise<Partial<AssistantStateType>>;
const ctx = (over: Partial<TurnContext> = {}): TurnContext => ({ timeZone: 'Asia/Kolkata', medications: [], medicalConditions: [], profile: null, contacts: [], ...over });
function stateFor(text: string, over: Partial<AssistantStateType> = {}, hint = 'auto'): AssistantStateType {
  return { ...turnInput({ text, languageHint: hint, channel: 'voice', threadId: 't' }), pending: null, normalized: normalize(text), context: ctx(), ...over } as AssistantStateType;
}

describe('normalize node', () => {
  it('turns Hinglish number words into numerals', () => {
    const out = plain(normalizeNode(stateFor('BP ek sau chaalis by nabbe'))) as Partial<AssistantStateType>;
    expect(out.normalized!.tokens).toEqual(expect.arrayContaining(['bp', '140', '90']));
  });
});

describe('load_context node', () => {
  it('reads zone, language, active medicines, the profile and the emergency contacts from the user graph', async () => {
    const u = h.health.forUser(U);
    await u.upsert('profile', u.store.profileId, { timezone: 'Asia/Dubai', preferred_language: 'hi-IN', medical_conditions: ['diabetes'] });
    await u.create('medication', { name: 'Metformin' });
    await u.create('medication', { name: 'Old pill', active: false });
    await u.create('emergency_contact', { name: 'Asha', phone: '+91-9000000001' });
    await u.create('emergency_contact', { name: 'Ravi', phone: '+91-9876543210', is_primary: true });
    const { context } = await plain(loadContextNode(stateFor('hi'), cfg()));
    expect(context).toMatchObject({ timeZone: 'Asia/Dubai', preferredLanguage: 'hi', medicalConditions: ['diabetes'], profile: { timezone: 'Asia/Dubai' } });
    expect(context!.contacts.map((c) => [c.name, c.is_primary])).toEqual(expect.arrayContaining([['Asha', false], ['Ravi', true]]));
    expect(context!.medications.map((m) => m.name)).toEqual(['Metformin']);
  });

  it('falls back to the default zone and no contact for a new user', async () => {
    const { context } = await plain(loadContextNode(stateFor('hi'), cfg()));
    expect(context).toEqual({ timeZone: 'Asia/Kolkata', medications: [], medicalConditions: [], profile: null, contacts: [] });
  });
});

describe('router node (offline)', () => {
  it('routes and picks the reply language: preferred, then detected Hindi, then the heard locale', async () => {
    expect(await routerNode(stateFor('my BP is 140 over 90'), cfg())).toMatchObject({ route: 'log', replyLanguage: 'en', store: true, llm: 'off' });
    expect((await routerNode(stateFor('maine do roti khayi'), cfg())).replyLanguage).toBe('hi');
    expect((await routerNode(stateFor('140/90', {}, 'hi-IN'), cfg())).replyLanguage).toBe('hi');
    expect((await routerNode(stateFor('मेरा बीपी 140/90 है', { context: ctx({ preferredLanguage: 'en' }) }), cfg())).replyLanguage).toBe('en');
  });

  it('marks unusable input as not to be stored', async () => {
    for (const text of ['', '🙂', 'qwpoe zzxq']) expect((await routerNode(stateFor(text), cfg())).store).toBe(false);
    expect((await routerNode(stateFor('hello'), cfg())).store).toBe(true);
  });

  it('reads an answer in the frame of the pending question and keeps it pending only while answered', async () => {
    const first = await plain(routerNode(stateFor('my bp is'), cfg()));
    const pending = { nlu: first.nlu!, asks: 1 };
    const answer = await routerNode(stateFor('150 over 95', { pending }), cfg());
    expect(answer.nlu).toMatchObject({ route: 'log', missing: [] });
    expect(answer.pending).toMatchObject({ asks: 1 });
    const unrelated = await routerNode(stateFor('what was my sugar yesterday', { pending }), cfg());
    expect(unrelated.route).toBe('health_query');
    expect(unrelated.pending).toBeNull();
  });

  it(`drops a question asked more than ${MAX_ASKS} times`, async () => {
    const first = await plain(routerNode(stateFor('my bp is'), cfg()));
    const out = await routerNode(stateFor('150 over 95', { pending: { nlu: first.nlu!, asks: MAX_ASKS + 1 } }), cfg());
    expect(out.pending).toBeNull();
  });
});

describe('agents without I/O', () => {
  it('emergency without a way to send: 112, then whom to call, or that no contact is saved', () => {
    const nlu: NluResult = { route: 'emergency', slots: { symptoms: ['chest_pain'] }, missing: [], invalid: [], flags: [], lang: 'en' };
    expect(emergencyAgent(stateFor('chest pain', { nlu }), cfg()).say).toEqual([say('emergency.call'), say('emergency.no_contact')]);
    const ravi = { id: 'c1', name: 'Ravi', phone: '+91-98', is_primary: true } as TurnContext['contacts'][number];
    const withContact = emergencyAgent(stateFor('chest pain', { nlu, context: ctx({ contacts: [ravi] }) }), cfg());
    expect(withContact.say).toEqual([say('emergency.call'), say('emergency.no_provider', { contact_name: 'Ravi', contact_phone: '+91-98' })]);
    expect(withContact.emergency).toBeUndefined();
  });

  it('chat: topic templates, and the right polite line per input flag', () => {
    const run = (text: string) => chatAgent(stateFor(text, { nlu: { route: 'chat', slots: {}, missing: [], invalid: [], flags: normalize(text).flags, lang: 'en' } }));
    expect(run('x'.repeat(2000)).say).toEqual([say('fallback.too_long')]);
    expect(run('Привет мир').say).toEqual([say('fallback.unsupported')]);
    expect(run('').say).toEqual([say('fallback.polite')]);
    const help = chatAgent(stateFor('what can you do', { nlu: { route: 'chat', slots: { topic: 'help' }, missing: [], invalid: [], flags: [], lang: 'en' } }));
    expect(help.say).toEqual([say('chat.help')]);
  });
});

describe('respond node', () => {
  it('renders parts in the reply language, prefers LLM text, never answers empty', () => {
    const s = stateFor('x', { say: [say('log.bp', { systolic: 140, diastolic: 90 }), say('log.heart_rate', { value: 72 })], replyLanguage: 'hi' });
    expect(respondNode(s).reply).toBe('आपका बीपी 140 बटा 90 दर्ज कर लिया। आपकी नब्ज़ 72 दर्ज कर ली।');
    expect(respondNode({ ...s, llmReply: 'From the model.' }).reply).toBe('From the model.');
    expect(respondNode({ ...s, say: [] }).reply).toBe('माफ़ कीजिए, कुछ गड़बड़ हो गई। कृपया फिर से कोशिश करें।');
  });
});

describe('routing functions', () => {
  it('send LLM-routed turns to the LLM agent, emergencies never, and failures to the offline agent', () => {
    const base = stateFor('x', { nlu: { route: 'food', slots: { items: [], unmatched: [] }, missing: [], invalid: [], flags: [], lang: 'en' } });
    expect(afterRouter({ ...base, route: 'food', llm: 'off' })).toBe('food_agent');
    expect(afterRouter({ ...base, route: 'chat', llm: 'agent' })).toBe('llm_agent');
    expect(afterRouter({ ...base, route: 'emergency', llm: 'agent' })).toBe('emergency_agent');
    expect(afterLlmAgent({ ...base, route: 'chat', llm: 'fallback' })).toBe('food_agent');
    expect(afterLlmAgent({ ...base, llm: 'agent' })).toBe(END);
  });

  it('are edges of the compiled graph (what LangGraph Studio draws from langgraph.json)', async () => {
    const edges = (await graph.getGraphAsync()).edges.map((e) => `${e.source}->${e.target}`);
    const agents = ['food', 'log', 'health_query', 'recommendation', 'medication', 'reminder', 'emergency', 'chat'].map((r) => `${r}_agent`);
    expect(edges).toEqual(expect.arrayContaining([
      `${START}->understand`, 'understand->llm_agent', `llm_agent->${END}`,
      ...agents.flatMap((a) => [`understand->${a}`, `llm_agent->${a}`, `${a}->${END}`]),
    ]));
  });
});

describe('speech', () => {
  it('speaks times and dates the way people say them', () => {
    expect(speakTime('16:00', 'en')).toBe('4 pm');
    expect(speakTime('09:30', 'en')).toBe('9:30 am');
    expect(speakTime('00:15', 'en')).toBe('12:15 am');
    expect(speakTime('16:00', 'hi')).toBe('शाम 4');
    expect(speakTime('13:00', 'hi')).toBe('दोपहर 1');
    expect(speakTime('21:00', 'hi')).toBe('रात 9');
    expect(speakDate('2025-12-05', 'en')).toBe('5 December');
    expect(speakDate('2025-12-05', 'hi')).toBe('5 दिसंबर');
  });

  it('closes the gap an empty label leaves', () => {
    expect(renderAll([say('log.sugar', { context: { label: 'random' }, value: 120 })], 'en')).toBe('Saved your sugar reading of 120.');
  });
});
