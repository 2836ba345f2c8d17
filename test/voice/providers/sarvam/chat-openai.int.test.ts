/**
 * LLM mode will talk to Sarvam through @langchain/openai's ChatOpenAI with a baseURL. Sarvam
 * documents both `api-subscription-key` and `Authorization: Bearer` for /v1/chat/completions; this
 * pins the configuration that sends the same key both ways and shows chat, tool calls and streaming
 * work over the wire the fake speaks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatOpenAI } from '@langchain/openai';
import { startFakeSarvam, type FakeSarvam } from '../../../fakes/sarvam/index.js';

const KEY = 'sk_chat_key_0004';
let fake: FakeSarvam;

const chatFor = (apiKey: string, streaming = false) =>
  new ChatOpenAI({
    model: 'sarvam-105b',
    apiKey,
    maxRetries: 0,
    streaming,
    configuration: { baseURL: `${fake.url}/v1`, defaultHeaders: { 'api-subscription-key': apiKey } },
  });

const reminderTool = {
  type: 'function' as const,
  function: {
    name: 'set_reminder',
    description: 'Create a medicine reminder',
    parameters: {
      type: 'object',
      properties: { medicine: { type: 'string' }, time: { type: 'string' } },
      required: ['medicine', 'time'],
    },
  },
};

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

describe('ChatOpenAI against the fake Sarvam chat endpoint', () => {
  it('completes a chat, authenticating with both documented headers', async () => {
    fake.control.queueChatReply({ content: 'नमस्ते! मैं आपकी कैसे मदद कर सकता हूँ?' });
    const reply = await chatFor(KEY).invoke([{ role: 'user', content: 'नमस्ते' }]);
    expect(reply.content).toBe('नमस्ते! मैं आपकी कैसे मदद कर सकता हूँ?');
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/chat/completions', auth: { ok: true } });
    expect([...req!.auth.via].sort()).toEqual(['bearer', 'header']);
    expect(req!.body).toMatchObject({ model: 'sarvam-105b', messages: [{ role: 'user', content: 'नमस्ते' }] });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });

  it('sends tools and parses a scripted tool call', async () => {
    fake.control.queueChatReply({ toolCalls: [{ id: 'call_1', name: 'set_reminder', arguments: { medicine: 'metformin', time: '08:00' } }] });
    const reply = await chatFor(KEY).bindTools([reminderTool]).invoke('Remind me to take metformin at 8');
    expect(reply.tool_calls).toEqual([expect.objectContaining({ id: 'call_1', name: 'set_reminder', args: { medicine: 'metformin', time: '08:00' } })]);
    const body = fake.requests[0]!.body as { tools: Array<{ function: { name: string } }> };
    expect(body.tools.map((t) => t.function.name)).toEqual(['set_reminder']);
  });

  it('streams content and tool calls over SSE', async () => {
    fake.control.queueChatReply({ content: 'Take it with water.' });
    const pieces: string[] = [];
    for await (const chunk of await chatFor(KEY, true).stream('How do I take it?')) pieces.push(String(chunk.content));
    expect(pieces.filter(Boolean).length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Take it with water.');
    expect(fake.requests[0]!.body).toMatchObject({ stream: true });

    fake.control.queueChatReply({ toolCalls: [{ name: 'set_reminder', arguments: { medicine: 'dolo', time: '21:00' } }] });
    let merged: Awaited<ReturnType<ChatOpenAI['invoke']>> | undefined;
    for await (const chunk of await chatFor(KEY, true).bindTools([reminderTool]).stream('Remind me tonight')) {
      merged = merged ? merged.concat(chunk) : chunk;
    }
    expect(merged?.tool_calls).toEqual([expect.objectContaining({ name: 'set_reminder', args: { medicine: 'dolo', time: '21:00' } })]);
  });

  it('fails with a 403 for a wrong key', async () => {
    const err = await chatFor('wrong-key')
      .invoke('hi')
      .catch((e: unknown) => e as { status?: number });
    expect(err).toMatchObject({ status: 403 });
    expect(fake.requests).toHaveLength(1);
  });
});
