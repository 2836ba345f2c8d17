/** SarvamSttStream against the fake's /speech-to-text/ws over real sockets. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { SarvamError, SarvamSttStream, type SttStreamEvent, type StreamClosedEvent, type StreamErrorEvent } from '../../../../src/voice/providers/sarvam/index.js';
import { chunksOf, startFakeSarvam, utterancePcm, type FakeSarvam } from '../../../fakes/sarvam/index.js';
import { until } from '../../../fakes/sarvam/until.js';
import { readUntil } from './next-event.js';

type Ev = SttStreamEvent | StreamErrorEvent | StreamClosedEvent;
const KEY = 'sk_stt_stream_key_0002';
let fake: FakeSarvam;
let conn: { baseUrl: string; apiKey: string };
const open: SarvamSttStream[] = [];

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      transcripts: {
        fever: { transcript: 'मुझे बुखार है', languageCode: 'hi-IN', languageProbability: 0.96, translation: 'I have a fever' },
        meds: { transcript: 'did I take my medicine', languageCode: 'en-IN' },
      },
    },
  });
  conn = { baseUrl: fake.url, apiKey: KEY };
});
afterAll(() => fake.close());
beforeEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  fake.clearRequests();
  fake.control.clearFailures();
});

async function start(opts: Partial<Parameters<typeof SarvamSttStream.open>[0]> = {}) {
  const stream = await SarvamSttStream.open({ ...conn, languageCode: 'hi-IN', ...opts });
  open.push(stream);
  return { stream, it: stream[Symbol.asyncIterator]() as AsyncIterator<Ev> };
}

function send(stream: SarvamSttStream, pcm: Buffer): void {
  for (const c of chunksOf(pcm, 100)) stream.sendAudio(c);
}

async function openError(p: Promise<unknown>): Promise<SarvamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SarvamError);
  return err as SarvamError;
}

describe('SarvamSttStream', () => {
  it('connects with the documented query and header auth, and sends base64 audio frames', async () => {
    const { stream, it: events } = await start();
    const pcm = utterancePcm({ marker: 'fever', silenceMs: 1200 });
    send(stream, pcm);
    const seen = await readUntil(events, (e) => e.type === 'transcript');

    expect(seen.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'transcript']);
    expect(seen[2]).toMatchObject({ type: 'transcript', final: true, text: 'मुझे बुखार है', languageCode: 'hi-IN' });
    expect((seen[2] as { requestId?: string }).requestId).toBeTruthy();

    const req = fake.requests[0]!;
    expect(req).toMatchObject({ kind: 'ws', path: '/speech-to-text/ws', status: 101, auth: { via: ['header'], ok: true } });
    expect(req.query).toEqual({
      'language-code': 'hi-IN',
      model: 'saaras:v3',
      input_audio_codec: 'pcm_s16le',
      sample_rate: '16000',
      vad_signals: 'true',
      flush_signal: 'true',
    });
    expect(req.protocol).toBeUndefined();
    expect(req.rawUrl).not.toContain(KEY);
    const inbound = req.frames.filter((f) => f.dir === 'in').map((f) => f.data as { audio: { data: string; sample_rate: number; encoding: string } });
    expect(inbound).toHaveLength(chunksOf(pcm, 100).length);
    expect(inbound[0]!.audio.sample_rate).toBe(16000);
    expect(inbound[0]!.audio.encoding).toBe('audio/wav');
    expect(Buffer.concat(inbound.map((f) => Buffer.from(f.audio.data, 'base64')))).toEqual(pcm);
  });

  it('ends an utterance on flush and reports the detected language for unknown', async () => {
    const { stream, it: events } = await start({ languageCode: 'unknown' });
    send(stream, utterancePcm({ marker: 'fever', speechMs: 500 }));
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'transcript');
    expect(seen.map((e) => e.type)).toEqual(['speech-start', 'transcript']);
    expect(seen[1]).toMatchObject({ text: 'मुझे बुखार है', languageCode: 'hi-IN', languageProbability: 0.96 });
    expect(fake.requests[0]!.query['language-code']).toBe('unknown');
    expect(fake.requests[0]!.frames.filter((f) => f.dir === 'in').at(-1)!.data).toEqual({ type: 'flush' });
  });

  it('keeps one socket for several utterances', async () => {
    const { stream, it: events } = await start({ languageCode: 'en-IN' });
    send(stream, utterancePcm({ marker: 'meds' }));
    stream.flush();
    const first = (await readUntil(events, (e) => e.type === 'transcript')).at(-1);
    send(stream, utterancePcm({ marker: 'fever' }));
    stream.flush();
    const second = (await readUntil(events, (e) => e.type === 'transcript')).at(-1);
    expect(first).toMatchObject({ text: 'did I take my medicine', languageCode: 'en-IN' });
    expect(second).toMatchObject({ text: 'मुझे बुखार है', languageCode: 'en-IN' });
    expect(fake.requests.filter((r) => r.kind === 'ws')).toHaveLength(1);
  });

  it('can authenticate with the subprotocol instead of the header', async () => {
    const { stream, it: events } = await start({ auth: 'subprotocol' });
    send(stream, utterancePcm({ marker: 'fever' }));
    stream.flush();
    await readUntil(events, (e) => e.type === 'transcript');
    const req = fake.requests[0]!;
    expect(req.auth).toEqual({ via: ['subprotocol'], ok: true });
    expect(req.protocol).toBe('api-subscription-key.[redacted]');
    expect(req.headers['api-subscription-key']).toBeUndefined();
  });

  it('translates on /speech-to-text-translate/ws without a language-code', async () => {
    const { stream, it: events } = await start({ translate: true, vadSignals: false, sampleRate: 8000 });
    send(stream, utterancePcm({ marker: 'fever', sampleRate: 8000 }));
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'transcript');
    expect(seen).toEqual([expect.objectContaining({ type: 'transcript', text: 'I have a fever', languageCode: 'hi-IN' })]);
    expect(fake.requests[0]!.path).toBe('/speech-to-text-translate/ws');
    expect(fake.requests[0]!.query).toEqual({
      model: 'saaras:v2.5',
      input_audio_codec: 'pcm_s16le',
      sample_rate: '8000',
      vad_signals: 'false',
      flush_signal: 'true',
    });
  });

  it('transcribes a flushed silence as an empty transcript', async () => {
    const { stream, it: events } = await start();
    send(stream, utterancePcm({ speechMs: 0, silenceMs: 300 }));
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'transcript');
    expect(seen).toEqual([expect.objectContaining({ text: '' })]);
  });

  it('rejects an unsupported language or sample rate before connecting', async () => {
    await expect(SarvamSttStream.open({ ...conn, languageCode: 'xx-IN' as 'hi-IN' })).rejects.toBeInstanceOf(AppError);
    await expect(SarvamSttStream.open({ ...conn, sampleRate: 44100 as 16000 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(fake.requests).toHaveLength(0);
  });

  it('fails open with a non-retryable 403 for a wrong key', async () => {
    const err = await openError(SarvamSttStream.open({ ...conn, apiKey: 'wrong' }));
    expect(err).toMatchObject({ kind: 'http', status: 403, code: 'invalid_api_key_error', retryable: false });
    expect(fake.requests[0]).toMatchObject({ status: 403, frames: [] });
  });

  it('fails open with 429 carrying Retry-After, and 500 as retryable', async () => {
    fake.control.inject('stt-ws', { kind: 'status', status: 429, retryAfterS: 4 });
    expect(await openError(SarvamSttStream.open(conn))).toMatchObject({ status: 429, retryable: true, retryAfterMs: 4000 });
    fake.control.inject('stt-ws', { kind: 'status', status: 500 });
    expect(await openError(SarvamSttStream.open(conn))).toMatchObject({ status: 500, retryable: true });
  });

  it('times out a handshake that never completes', async () => {
    fake.control.inject('stt-ws', { kind: 'hang' });
    expect(await openError(SarvamSttStream.open({ ...conn, connectTimeoutMs: 150 }))).toMatchObject({
      kind: 'timeout',
      code: 'connect_timeout',
      retryable: true,
    });
  });

  it('opens after a slow handshake that stays inside the deadline', async () => {
    fake.control.inject('stt-ws', { kind: 'delay', ms: 50 });
    const { stream } = await start({ connectTimeoutMs: 2000 });
    expect(stream.isOpen).toBe(true);
  });

  it('reports an aborted connect as aborted', async () => {
    fake.control.inject('stt-ws', { kind: 'hang' });
    const ac = new AbortController();
    const p = SarvamSttStream.open({ ...conn, signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    expect(await openError(p)).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('turns a dropped socket into a retryable connection_lost error, then closed', async () => {
    fake.control.inject('stt-ws', { kind: 'drop', afterFrames: 2 });
    const { stream, it: events } = await start();
    send(stream, utterancePcm({ marker: 'fever' }));
    const seen = await readUntil(events, (e) => e.type === 'closed');
    expect(seen.map((e) => e.type)).toEqual(['error', 'closed']);
    expect((seen[0] as StreamErrorEvent).error).toMatchObject({ kind: 'network', code: 'connection_lost', retryable: true });
    expect(seen[1]).toEqual({ type: 'closed', code: 1006 });
    expect(stream.isOpen).toBe(false);
    expect(() => stream.sendAudio(Buffer.alloc(320))).toThrow(SarvamError);
    expect((await events.next()).done).toBe(true);
  });

  it('reports a malformed frame as an error event and keeps the stream working', async () => {
    fake.control.inject('stt-ws', { kind: 'malformed' });
    const { stream, it: events } = await start();
    send(stream, utterancePcm({ marker: 'fever' }));
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'transcript');
    expect(seen[0]).toMatchObject({ type: 'error', error: { kind: 'protocol', code: 'malformed_frame', retryable: false } });
    expect(seen.at(-1)).toMatchObject({ text: 'मुझे बुखार है' });
  });

  it('reports frames of an unknown type or shape as malformed', async () => {
    fake.control.inject('stt-ws', { kind: 'malformed', payload: '{"type":"surprise","data":{}}' });
    const { it: events } = await start();
    const [first] = await readUntil(events, () => true);
    expect(first).toMatchObject({ type: 'error', error: { code: 'malformed_frame' } });
  });

  it("maps Sarvam's error frame to a stream error with its code", async () => {
    fake.control.inject('stt-ws', { kind: 'error-frame', code: 'internal_server_error' });
    const { stream, it: events } = await start();
    stream.sendAudio(Buffer.alloc(3200));
    const [first] = await readUntil(events, () => true);
    expect(first).toMatchObject({ type: 'error', error: { kind: 'stream', code: 'internal_server_error', retryable: true } });
  });

  it('ends quietly when Sarvam closes normally, and close() after that is a no-op', async () => {
    const { stream, it: events } = await start();
    await until(() => fake.control.openSockets() === 1, 'socket open on the fake');
    fake.control.closeSockets(1000, 'bye');
    const seen = await readUntil(events, (e) => e.type === 'closed');
    expect(seen).toEqual([{ type: 'closed', code: 1000 }]);
    await stream.close();
  });

  it('closes with 1000 on close()', async () => {
    const { stream, it: events } = await start();
    await stream.close();
    const seen = await readUntil(events, (e) => e.type === 'closed');
    expect(seen).toEqual([{ type: 'closed', code: 1000 }]);
    await until(() => fake.control.openSockets() === 0, 'socket closed on the fake');
  });
});
