import { LLM_PROMPTS, type LlmPromptName } from '../../../prompts/index.js';
import type { TurnRuntime } from '../configuration.js';
import { isoInZone } from '../nlu/clock.js';
import type { Lang } from '../../../prompts/lang.js';
import type { TurnContext } from '../state.js';

export const LANGUAGE_NAME: Record<Lang, string> = { en: 'English', hi: 'Hindi (Devanagari script)' };

/** A system prompt with its `{placeholders}` filled; an unknown one becomes empty, never literal. */
export function systemPrompt(name: LlmPromptName, vars: Record<string, string>): string {
  return LLM_PROMPTS[name].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

export function promptVars(rt: TurnRuntime, ctx: TurnContext, lang: Lang): Record<string, string> {
  return {
    language: LANGUAGE_NAME[lang],
    time_zone: ctx.timeZone,
    now: isoInZone(rt.now(), ctx.timeZone),
    medications: ctx.medications.length ? ctx.medications.map((m) => m.name).join(', ') : 'none recorded',
  };
}

/** Aborts at the turn's LLM deadline or when the caller gives up, whichever comes first. */
export function llmSignal(rt: TurnRuntime): AbortSignal {
  const remaining = Math.max(1, Math.floor((rt.llmDeadline ?? performance.now() + rt.configuration.llmTimeoutMs) - performance.now()));
  const timeout = AbortSignal.timeout(remaining);
  return rt.signal ? AbortSignal.any([timeout, rt.signal]) : timeout;
}

/** LLM text made speakable: no markdown, no lists, at most three sentences. */
export function speakable(content: unknown): string {
  const text = typeof content === 'string'
    ? content
    : Array.isArray(content) ? content.map((c) => (typeof c === 'string' ? c : (c as { text?: string }).text ?? '')).join(' ') : '';
  const plain = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/gm, '')
    .replace(/[*_#`>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = plain.match(/[^.!?।]+[.!?।]*/g) ?? [];
  return sentences.slice(0, 3).join(' ').replace(/\s+/g, ' ').trim().slice(0, 500);
}
