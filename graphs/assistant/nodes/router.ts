import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf, type TurnRuntime } from '../configuration.js';
import { llmRoute } from '../llm/router.js';
import { firstName } from '../../../src/health/people.js';
import { isAllClear } from '../nlu/emergency.js';
import { fillSlots } from '../nlu/fill.js';
import { route } from '../nlu/router.js';
import type { InputFlag, NluContext, NluResult, Normalized } from '../nlu/types.js';
import type { Lang } from '../../../prompts/lang.js';
import type { AssistantStateType, AssistantUpdate, TurnContext } from '../state.js';
import { langOf } from '../../../prompts/lang.js';

/** We ask at most this often for one missing slot before treating the next turn as new. */
export const MAX_ASKS = 2;

/** Input the LLM cannot help with either. */
const HOPELESS: ReadonlySet<InputFlag> = new Set(['empty', 'emoji_only', 'unsupported_script', 'too_long']);

export function nluContext(ctx: TurnContext, rt: TurnRuntime): NluContext {
  const contacts = (ctx.contacts ?? []).flatMap((c) => firstName(c.name)?.toLowerCase() ?? []);
  return { now: rt.now(), timeZone: ctx.timeZone, medications: ctx.medications.map((m) => m.name), ...(contacts.length ? { contacts } : {}) };
}

/** preferred_language first, then a Hindi (or Hinglish) sentence, then the locale heard, else English. */
export function replyLanguage(n: Normalized, ctx: TurnContext, hint: string): Lang {
  if (ctx.preferredLanguage) return ctx.preferredLanguage;
  if (n.tokens.length && (n.lang === 'hi' || n.lang === 'hinglish')) return 'hi';
  return langOf(hint);
}

const complete = (r: NluResult): boolean => r.route !== 'chat' && r.missing.length === 0 && r.invalid.length === 0 && r.flags.length === 0;

/** Answers to a spoken reminder ("yes", "remind me later"): their meaning is the reminder's, not the LLM's to guess. */
const reminderAnswer = (r: NluResult): boolean =>
  (r.route === 'medication' && r.slots.intent === 'confirm') || (r.route === 'reminder' && r.slots.kind === 'alarm' && r.slots.snooze === true);

/**
 * Offline NLU always runs first (it is the fallback and the emergency net). An answer to our
 * own pending question is read in that question's frame. With an LLM configured, the LLM router
 * (structured output) classifies what the offline NLU could not: chat-like or incomplete turns.
 * Emergencies, answers we were waiting for, impossible numbers and unusable input never wait on it.
 */
export async function routerNode(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const rt = runtimeOf(config);
  const n = state.normalized!;
  const ctx = state.context!;
  const nctx = nluContext(ctx, rt);
  const options = { foodIndex: rt.foodIndex };

  // "I'm okay", "it was a mistake" soon after an emergency this thread raised: its all-clear.
  const open = state.emergency && rt.now().getTime() - state.emergency.at <= rt.configuration.allClearWithinMs ? state.emergency : null;
  if (open && isAllClear(n.tokens, n.text)) {
    const nlu: NluResult = { route: 'emergency', slots: { symptoms: [], all_clear: true }, missing: [], invalid: [], flags: [], lang: n.lang };
    return { nlu, route: 'emergency', replyLanguage: replyLanguage(n, ctx, state.input.languageHint), store: true, pending: null, llm: rt.model ? 'skipped' : 'off' };
  }

  const pending = state.pending && state.pending.asks <= MAX_ASKS ? state.pending : null;
  const nlu = pending ? fillSlots(pending.nlu, n, nctx, options) : route(n, nctx, options);
  const answered = pending !== null && nlu.route === pending.nlu.route;
  const lang = replyLanguage(n, ctx, state.input.languageHint);
  // Unusable input is answered politely and leaves no trace, not even the chat event.
  const garbage = nlu.route === 'chat' && nlu.flags.length > 0;
  const base: AssistantUpdate = {
    nlu,
    route: nlu.route,
    replyLanguage: lang,
    store: !garbage,
    // Carried forward only if this turn answered it (the agent re-arms it when still incomplete).
    pending: answered ? { nlu, asks: pending.asks } : null,
  };

  if (!rt.model) return { ...base, llm: 'off' };
  if (nlu.route === 'emergency' || answered || reminderAnswer(nlu) || nlu.flags.some((f) => HOPELESS.has(f)) || nlu.invalid.length > 0) {
    return { ...base, llm: 'skipped' };
  }
  // A complete deterministic parse is kept (never worse than offline) and costs no LLM call;
  // advice still goes to the LLM agent, which may phrase what the rules decided.
  if (complete(nlu)) return { ...base, llm: nlu.route === 'recommendation' ? 'agent' : 'skipped' };
  try {
    const verdict = await llmRoute(rt, state.input.text, ctx);
    if (verdict === 'emergency') {
      const emergency: NluResult = { route: 'emergency', slots: { symptoms: ['general'] }, missing: [], invalid: [], flags: [], lang: nlu.lang };
      return { ...base, route: 'emergency', nlu: emergency, store: true, llm: 'router' };
    }
    return { ...base, route: verdict, store: true, llm: 'agent' };
  } catch {
    return { ...base, llm: 'fallback' };
  }
}
