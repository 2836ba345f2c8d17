/**
 * LLM_PROVIDER=sarvam as the service builds it (src/llm createChatModel) streams from Sarvam's
 * chat completions over SSE, against the fake: several chunks, the whole reply, the right request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../../../../src/llm/index.js';
import { startFakeSarvam, type FakeSarvam } from '../../../fakes/sarvam/index.js';

const KEY = 'sk_chat_stream_key_31';
let fake: FakeSarvam;

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY });
});
afterAll(() => fake.close());

describe('createChatModel for LLM_PROVIDER=sarvam', () => {
  it('streams a reply in chunks over SSE from /v1/chat/completions', async () => {
    const model = createChatModel({
      llm: { provider: 'sarvam', timeoutMs: 5_000 },
      sarvam: { apiKey: KEY, baseUrl: fake.url },
    })!;
    fake.control.queueChatReply({ content: 'आज शाम थोड़ा टहलिए और पानी पीते रहिए।' });
    const pieces: string[] = [];
    for await (const chunk of await model.stream([{ role: 'user', content: 'आज क्या करूँ?' }])) pieces.push(String(chunk.content));

    expect(pieces.filter(Boolean).length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('आज शाम थोड़ा टहलिए और पानी पीते रहिए।');
    const req = fake.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/chat/completions', auth: { ok: true } });
    expect(req.body).toMatchObject({ model: 'sarvam-m', stream: true, messages: [{ role: 'user', content: 'आज क्या करूँ?' }] });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });
});
