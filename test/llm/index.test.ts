/** The chat model factory: provider from config, Sarvam's headers and base URL, no retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../../src/llm/index.js';
import { startFakeSarvam, type FakeSarvam } from '../fakes/sarvam/index.js';

const KEY = 'sk_factory_key_0009';
let fake: FakeSarvam;
beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY, script: { chat: [{ content: 'Namaste.' }] } });
});
afterAll(() => fake.close());

describe('createChatModel', () => {
  it('is absent in offline mode', () => {
    expect(createChatModel({ llm: { provider: 'none', timeoutMs: 3000 }, sarvam: { baseUrl: 'https://api.sarvam.ai' } })).toBeUndefined();
  });

  it('refuses incomplete provider settings', () => {
    expect(() => createChatModel({ llm: { provider: 'sarvam', timeoutMs: 3000 }, sarvam: { baseUrl: 'https://api.sarvam.ai' } })).toThrow(/SARVAM_API_KEY/);
    expect(() => createChatModel({ llm: { provider: 'openai', timeoutMs: 3000 }, sarvam: { baseUrl: 'x' } })).toThrow(/LLM_BASE_URL/);
  });

  it('talks to Sarvam at /v1 with both documented auth headers and the default model', async () => {
    const model = createChatModel({ llm: { provider: 'sarvam', timeoutMs: 3000 }, sarvam: { apiKey: KEY, baseUrl: `${fake.url}/` } })!;
    const reply = await model.invoke('नमस्ते');
    expect(reply.content).toBe('Namaste.');
    const [req] = fake.requests;
    expect(req).toMatchObject({ path: '/v1/chat/completions', auth: { ok: true }, body: expect.objectContaining({ model: 'sarvam-m' }) });
    expect([...req!.auth.via].sort()).toEqual(['bearer', 'header']);
  });

  it('talks to any OpenAI-compatible server at LLM_BASE_URL and does not retry a failure', async () => {
    fake.clearRequests();
    fake.control.inject('chat', { kind: 'status', status: 500 }, 3);
    const model = createChatModel({ llm: { provider: 'openai', baseUrl: `${fake.url}/v1`, apiKey: KEY, model: 'local-model', timeoutMs: 3000 }, sarvam: { baseUrl: 'x' } })!;
    await expect(model.invoke('hi')).rejects.toMatchObject({ status: 500 });
    expect(fake.requests).toHaveLength(1);
    fake.control.clearFailures();
    fake.control.queueChatReply({ content: 'Hello.' });
    expect((await model.invoke('hi')).content).toBe('Hello.');
    expect(fake.requests[1]).toMatchObject({ path: '/v1/chat/completions', body: expect.objectContaining({ model: 'local-model', temperature: 0 }) });
  });
});
