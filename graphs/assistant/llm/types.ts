/**
 * How a turn used the LLM: `off` (offline mode), `skipped` (not needed: an emergency, an answer
 * to our own question, a complete offline parse, unusable input), `router` (the LLM router found
 * an emergency the offline NLU missed), `agent` (an LLM agent answered), `fallback` (the LLM
 * failed or timed out and the offline path answered).
 */
export type LlmPath = 'off' | 'skipped' | 'router' | 'agent' | 'fallback';
