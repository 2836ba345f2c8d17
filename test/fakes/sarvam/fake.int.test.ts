/** Behaviour of the fake itself that the SDK conformance test does not reach. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { audioKey, chunksOf, parseWav, startFakeSarvam, utterancePcm, wavFile, type FakeSarvam } from './index.js';
import { until } from './until.js';

const KEY = 'sk_fake_self_test_0005';
let fake: FakeSarvam;
const hashed = wavFile(utterancePcm({ speechMs: 300 }), 16000);
const rawPcm = utterancePcm({ speechMs: 320 });

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      detectLanguage: 'ta-IN',
      transcripts: {
        [audioKey(hashed)]: { transcript: 'by hash' },
        [audioKey(rawPcm)]: { transcript: 'by raw hash' },
        mark: { transcript: 'by marker', languageCode: 'bn-IN' },
      },
      wsIdleTimeoutMs: 300,
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

async function stt(file: Buffer, fields: Record<string, string> = {}, headers: Record<string, string> = { 'api-subscription-key': KEY }) {
  const form = new FormData();
  form.append('file', new Blob([file]), 'a.wav');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${fake.url}/speech-to-text`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function tts(body: unknown, headers: Record<string, string> = { 'api-subscription-key': KEY }) {
  const res = await fetch(`${fake.url}/text-to-speech`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function connect(path: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}) {
  const ws = new WebSocket(`${fake.wsUrl}${path}`, opts.protocols ?? [], { headers: opts.headers ?? { 'api-subscription-key': KEY } });
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, frames, opened };
}

describe('fake Sarvam: scripting', () => {
  it('answers by marker before hash, by hash, then the queue, then the default', async () => {
    const marked = wavFile(utterancePcm({ marker: 'mark' }), 16000);
    expect((await stt(marked)).body).toMatchObject({ transcript: 'by marker' });
    expect((await stt(hashed)).body).toMatchObject({ transcript: 'by hash' });
    fake.control.queueUtterance({ transcript: 'queued' });
    const other = wavFile(utterancePcm({ speechMs: 350 }), 16000);
    expect((await stt(other)).body).toMatchObject({ transcript: 'queued' });
    expect((await stt(other)).body).toMatchObject({ transcript: 'hello' });
  });

  it("detects the script's language for unknown, or the utterance's own", async () => {
    expect((await stt(hashed, { language_code: 'unknown' })).body).toMatchObject({ language_code: 'ta-IN' });
    const marked = wavFile(utterancePcm({ marker: 'mark' }), 16000);
    expect((await stt(marked)).body).toMatchObject({ language_code: 'bn-IN' });
    expect((await stt(marked, { language_code: 'hi-IN' })).body).toMatchObject({ language_code: 'hi-IN', language_probability: null });
  });
});

describe('fake Sarvam: validation and auth', () => {
  it('accepts both TTS language field names and refuses neither', async () => {
    expect((await tts({ text: 'Hi.', target_language_code: 'hi-IN' })).status).toBe(200);
    expect((await tts({ text: 'Hi.', language_code: 'hi-IN' })).status).toBe(200);
    expect((await tts({ text: 'Hi.' })).status).toBe(422);
  });

  it('refuses bad values with 400 in Sarvam error shape', async () => {
    const r = await tts({ text: 'Hi.', language_code: 'fr-FR' });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'invalid_request_error' } } });
    expect((await tts({ text: 'x'.repeat(2501), language_code: 'hi-IN' })).status).toBe(400);
    expect((await tts({ text: 'Hi.', language_code: 'hi-IN', model: 'bulbul:v2', speaker: 'shubh' })).status).toBe(400);
    expect((await stt(hashed, { language_code: 'xx-IN' })).status).toBe(400);
    const long = wavFile(Buffer.alloc(16000 * 2 * 31), 16000);
    expect((await stt(long)).body).toMatchObject({ error: { code: 'invalid_request_error' } });
  });

  it('produces G.711 when asked: one byte per sample', async () => {
    const wav = parseWav(Buffer.from(((await tts({ text: 'Hi.', language_code: 'en-IN', speech_sample_rate: 8000 })).body.audios as string[])[0]!, 'base64'))!;
    const mulaw = Buffer.from(((await tts({ text: 'Hi.', language_code: 'en-IN', speech_sample_rate: 8000, output_audio_codec: 'mulaw' })).body.audios as string[])[0]!, 'base64');
    expect(mulaw.length).toBe(wav.data.length / 2);
  });

  it('accepts a Bearer key and refuses any wrong credential, logging none of them', async () => {
    expect((await tts({ text: 'Hi.', language_code: 'en-IN' }, { authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await tts({ text: 'Hi.', language_code: 'en-IN' }, { authorization: `Bearer ${KEY}`, 'api-subscription-key': 'bad' })).status).toBe(403);
    expect((await tts({ text: 'Hi.', language_code: 'en-IN' }, {})).body).toMatchObject({ error: { code: 'invalid_api_key_error' } });
    expect(fake.requests.map((r) => r.auth)).toEqual([
      { via: ['bearer'], ok: true },
      { via: ['header', 'bearer'], ok: false },
      { via: [], ok: false },
    ]);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });

  it('answers unknown paths with 404 and bad WS query params with 400 before the upgrade', async () => {
    expect((await fetch(`${fake.url}/nope`, { method: 'POST' })).status).toBe(404);
    await expect(connect('/speech-to-text/ws?model=saaras:v3').opened).rejects.toThrow('HTTP 400');
    await expect(connect('/speech-to-text/ws?language-code=hi-IN&sample_rate=44100').opened).rejects.toThrow('HTTP 400');
    await expect(connect('/text-to-speech/ws?model=bulbul:v9').opened).rejects.toThrow('HTTP 400');
  });

  it('accepts the subprotocol alone and echoes it back', async () => {
    const c = connect('/text-to-speech/ws', { headers: {}, protocols: [`api-subscription-key.${KEY}`] });
    await c.opened;
    expect(c.ws.protocol).toBe(`api-subscription-key.${KEY}`);
    expect(fake.requests[0]!.auth).toEqual({ via: ['subprotocol'], ok: true });
    c.ws.close();
  });
});

describe('fake Sarvam: streaming behaviour', () => {
  it('matches WS audio by the hash of all chunks of the utterance', async () => {
    const c = connect('/speech-to-text/ws?language-code=en-IN&input_audio_codec=pcm_s16le&flush_signal=true');
    await c.opened;
    for (const chunk of chunksOf(rawPcm, 100)) c.ws.send(JSON.stringify({ audio: { data: chunk.toString('base64'), sample_rate: 16000, encoding: 'audio/wav' } }));
    c.ws.send(JSON.stringify({ type: 'flush' }));
    await until(() => c.frames.find((f) => f.type === 'data'), 'transcript');
    expect(c.frames.find((f) => f.type === 'data')).toMatchObject({ data: { transcript: 'by raw hash', language_code: 'en-IN' } });
    c.ws.close();
  });

  it('ignores flush without flush_signal=true and refuses bad base64', async () => {
    const c = connect('/speech-to-text/ws?language-code=en-IN&input_audio_codec=pcm_s16le');
    await c.opened;
    for (const chunk of chunksOf(rawPcm, 100)) c.ws.send(JSON.stringify({ audio: { data: chunk.toString('base64'), sample_rate: 16000, encoding: 'audio/wav' } }));
    c.ws.send(JSON.stringify({ type: 'flush' }));
    c.ws.send(JSON.stringify({ audio: { data: '!!notbase64', sample_rate: 16000 } }));
    await until(() => c.frames.length === 1, 'error frame');
    expect(c.frames[0]).toMatchObject({ type: 'error', data: { code: 'invalid_request_error' } });
    c.ws.close();
  });

  it('rejects TTS text before config with an error frame', async () => {
    const c = connect('/text-to-speech/ws?model=bulbul:v3');
    await c.opened;
    c.ws.send(JSON.stringify({ type: 'text', data: { text: 'hello' } }));
    await until(() => c.frames.length === 1, 'error frame');
    expect(c.frames[0]).toMatchObject({ type: 'error', data: { code: 400 } });
    c.ws.close();
  });

  it('sends each sentence after the scripted delay, in order', async () => {
    fake.control.setTtsDelayMs(30);
    const c = connect('/text-to-speech/ws?model=bulbul:v3');
    await c.opened;
    c.ws.send(JSON.stringify({ type: 'config', data: { language_code: 'en-IN', output_audio_codec: 'linear16', speech_sample_rate: 8000 } }));
    c.ws.send(JSON.stringify({ type: 'text', data: { text: 'One. Two two two. Three three three three three.' } }));
    c.ws.send(JSON.stringify({ type: 'flush' }));
    await until(() => c.frames.some((f) => f.type === 'event'), 'final', 5000);
    fake.control.setTtsDelayMs(0);
    const sizes = c.frames.filter((f) => f.type === 'audio').map((f) => Buffer.from((f.data as { audio: string }).audio, 'base64').length);
    expect(sizes).toHaveLength(3);
    expect(sizes[0]!).toBeLessThan(sizes[1]!);
    expect(sizes[1]!).toBeLessThan(sizes[2]!);
    c.ws.close();
  });

  it('closes idle sockets like Sarvam does', async () => {
    const c = connect('/text-to-speech/ws');
    await c.opened;
    const code = await new Promise<number>((resolve) => c.ws.once('close', (n: number) => resolve(n)));
    expect(code).toBe(1000);
  });
});
