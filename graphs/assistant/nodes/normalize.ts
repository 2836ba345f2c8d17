import { normalize } from '../nlu/normalize.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';

/** Canonical tokens, numbers and language of the turn's text. */
export function normalizeNode(state: AssistantStateType): AssistantUpdate {
  return { normalized: normalize(state.input.text) };
}
