/**
 * The chat model for LLM mode, chosen by config: none (offline), Sarvam (OpenAI-compatible at
 * `${SARVAM_BASE_URL}/v1`, authenticated with both `api-subscription-key` and a bearer token, as
 * Sarvam documents both) or any OpenAI-compatible server. Retries are off: the assistant has a
 * per-turn deadline and its own offline fallback, so a retry would only spend that deadline.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config.js';

export const DEFAULT_SARVAM_MODEL = 'sarvam-m';

/** Only the chat-relevant settings: the Sarvam speech settings do not concern the LLM. */
export type LlmSettings = Pick<Config, 'llm'> & { sarvam: Pick<Config['sarvam'], 'apiKey' | 'baseUrl'> };

const trimSlash = (u: string): string => u.replace(/\/+$/, '');

export function createChatModel(config: LlmSettings): BaseChatModel | undefined {
  const { llm } = config;
  if (llm.provider === 'none') return undefined;
  if (llm.provider === 'sarvam') {
    const key = llm.apiKey ?? config.sarvam.apiKey;
    if (!key) throw new Error('LLM_PROVIDER=sarvam needs SARVAM_API_KEY');
    return new ChatOpenAI({
      model: llm.model ?? DEFAULT_SARVAM_MODEL,
      apiKey: key,
      temperature: 0,
      maxRetries: 0,
      timeout: llm.timeoutMs,
      configuration: { baseURL: llm.baseUrl ? trimSlash(llm.baseUrl) : `${trimSlash(config.sarvam.baseUrl)}/v1`, defaultHeaders: { 'api-subscription-key': key } },
    });
  }
  if (!llm.baseUrl || !llm.model) throw new Error('LLM_PROVIDER=openai needs LLM_BASE_URL and LLM_MODEL');
  return new ChatOpenAI({
    model: llm.model,
    // Local OpenAI-compatible servers often take no key; the client still wants a string.
    apiKey: llm.apiKey ?? 'not-needed',
    temperature: 0,
    maxRetries: 0,
    timeout: llm.timeoutMs,
    configuration: { baseURL: trimSlash(llm.baseUrl) },
  });
}
