/** POST /v1/chat/completions: OpenAI-compatible replies (JSON or SSE), scripted per test. */
import { randomUUID } from 'node:crypto';
import { FakeHttpError, sendJson, sleep } from './common.js';
import type { RestContext } from './rest.js';
import type { ChatRequestBody, ScriptedChatReply } from './script.js';

interface ToolCallOut {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

function toolCallsOf(reply: ScriptedChatReply): ToolCallOut[] {
  return (reply.toolCalls ?? []).map((t) => ({
    id: t.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    type: 'function' as const,
    function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments ?? {}) },
  }));
}

/** Rough token counts, only so usage fields are present and plausible. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export async function handleChat(ctx: RestContext): Promise<void> {
  let body: ChatRequestBody;
  try {
    body = JSON.parse(ctx.body.toString('utf8')) as ChatRequestBody;
  } catch {
    throw new FakeHttpError(400, 'Request body is not valid JSON');
  }
  ctx.log.body = body;
  if (typeof body !== 'object' || body === null) throw new FakeHttpError(422, 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw new FakeHttpError(422, 'model: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new FakeHttpError(422, 'messages: must be a non-empty list');
  }

  const reply = ctx.state.chatReply(body);
  const calls = toolCallsOf(reply);
  const content = reply.content === undefined ? (calls.length ? null : '') : reply.content;
  const finish = reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop');
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = tokens(JSON.stringify(body.messages));
  const completionTokens = tokens((content ?? '') + JSON.stringify(calls));
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };

  if (body.stream !== true) {
    const message: Record<string, unknown> = { role: 'assistant', content };
    if (calls.length) message.tool_calls = calls;
    if (reply.reasoningContent !== undefined) message.reasoning_content = reply.reasoningContent;
    sendJson(ctx.res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: [{ index: 0, message, finish_reason: finish }],
      usage,
    });
    return;
  }

  ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: Record<string, unknown>, finishReason: string | null = null) => {
    const chunk = { id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
    ctx.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  send({ role: 'assistant', content: '' });
  if (reply.reasoningContent) send({ reasoning_content: reply.reasoningContent });
  // Word-sized deltas, so a consumer sees several chunks as it would from the real service.
  for (const piece of (content ?? '').match(/\S+\s*|\s+/g) ?? []) {
    send({ content: piece });
    await sleep(0);
  }
  calls.forEach((c, index) => {
    send({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
    const args = c.function.arguments;
    const half = Math.ceil(args.length / 2);
    for (const part of [args.slice(0, half), args.slice(half)]) {
      if (part) send({ tool_calls: [{ index, function: { arguments: part } }] });
    }
  });
  send({}, finish);
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  if (streamOptions?.include_usage === true) {
    ctx.res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
  }
  ctx.res.end('data: [DONE]\n\n');
}
