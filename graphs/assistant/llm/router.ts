import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { TurnRuntime } from '../configuration.js';
import { ROUTES, type Route } from '../nlu/types.js';
import type { TurnContext } from '../state.js';
import { llmSignal, promptVars, systemPrompt } from './common.js';

const RouteVerdict = z.object({
  route: z.enum(ROUTES),
  slots: z.record(z.string(), z.unknown()).optional(),
  missing: z.array(z.string()).optional(),
});

/**
 * The LLM's route for a turn, by structured output (a forced function call, which OpenAI-
 * compatible servers such as Sarvam support more widely than response_format). Throws on any
 * error, timeout or schema mismatch; the caller falls back to the offline route.
 */
export async function llmRoute(rt: TurnRuntime, text: string, ctx: TurnContext): Promise<Route> {
  const model = rt.model!.withStructuredOutput(RouteVerdict, { name: 'route_turn', method: 'functionCalling' });
  const out = await model.invoke(
    [new SystemMessage(systemPrompt('router', promptVars(rt, ctx, 'en'))), new HumanMessage(text)],
    { signal: llmSignal(rt) },
  );
  return RouteVerdict.parse(out).route;
}
