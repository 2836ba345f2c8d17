/**
 * Text chat with the assistant: the same graph the voice pipeline calls. Each turn is stored as a
 * `chat` event by the graph itself (so voice turns appear in the history too); the history reads
 * those events back, newest first, in pages.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../../health/service.js';
import type { AssistantPort } from '../../../graphs/assistant/port.js';
import { errorResponses } from '../schemas.js';
import { healthOf, ListQuery } from './resource.js';
import { userOf } from '../plugins/auth.js';

/** Long enough for the graph's own "too long" reply; anything longer is refused outright. */
export const MAX_CHAT_MESSAGE = 10_000;

const ChatBody = z.strictObject({
  // Empty is allowed: the assistant answers it politely and writes nothing.
  message: z.string().max(MAX_CHAT_MESSAGE),
  locale: z.string().regex(/^(?:[a-z]{2,3}-[A-Z]{2}|auto)$/, 'must be a locale such as en-IN or hi-IN, or auto').optional(),
  thread_id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_", ":" or "-"').optional(),
});

const Action = z.object({ type: z.string(), id: z.string() });
const ChatReply = z.object({ reply: z.string(), route: z.string(), language: z.string(), thread_id: z.string(), actions: z.array(Action) });

const HistoryItem = z.object({
  id: z.string(),
  user_message: z.string(),
  ai_response: z.string(),
  route: z.string().nullable(),
  locale: z.string().nullable(),
  thread_id: z.string().nullable(),
  timestamp: z.string(),
});
const HistoryPage = z.object({ items: z.array(HistoryItem), next_cursor: z.string().nullable() });

export const chatRoutes: FastifyPluginAsyncZod<{ assistant: AssistantPort; service: HealthService }> = async (app, { assistant, service }) => {
  app.post('/chat', {
    schema: {
      tags: ['chat'],
      summary: 'Send a message to the assistant (same graph as voice); the reply is short and speakable',
      body: ChatBody,
      response: { 200: ChatReply, ...errorResponses },
    },
  }, async (req) => {
    const user = userOf(req);
    const threadId = req.body.thread_id ?? randomUUID();
    // Answered once the turn is done: its chat event is in the history the client may read next.
    const r = await assistant.start({ userId: user.id, threadId, text: req.body.message, language: req.body.locale ?? 'auto', channel: 'chat' }).done;
    return { reply: r.reply, route: r.route, language: r.language, thread_id: threadId, actions: r.actions };
  });

  app.get('/chat/history', {
    schema: {
      tags: ['chat'],
      summary: 'Past chat and voice turns, newest first',
      querystring: ListQuery,
      response: { 200: HistoryPage, ...errorResponses },
    },
  }, async (req) => {
    const page = await healthOf(req, service).list('chat', req.query);
    return {
      items: page.items.map((c) => {
        const ctx = (c.context ?? {}) as Record<string, unknown>;
        return {
          id: c.id,
          user_message: c.user_message,
          ai_response: c.ai_response,
          route: typeof ctx.route === 'string' ? ctx.route : null,
          locale: c.locale ?? null,
          thread_id: c.thread_id ?? null,
          timestamp: c.timestamp ?? c.created_at,
        };
      }),
      next_cursor: page.next_cursor,
    };
  });
};
