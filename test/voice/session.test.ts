import { afterAll, beforeAll, expect, it } from 'vitest';
import { VoiceSession, type VoiceTransport } from '../../src/voice/session.js';
import type { AssistantPort } from '../../src/voice/assistant.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let userId: string;
beforeAll(async () => {
  t = await makeTestApp();
  userId = (await registerUser(t.app)).user.id;
});
afterAll(async () => t.close());

function transport(buffered: () => number) {
  const sent = { json: [] as any[], audio: 0, closed: undefined as undefined | { code: number; reason: string } };
  const tr: VoiceTransport = {
    sendJson: (m) => sent.json.push(m),
    sendAudio: (b) => (sent.audio += b.length),
    bufferedAmount: buffered,
    close: (code, reason) => (sent.closed = { code, reason }),
  };
  return { tr, sent };
}

const session = (tr: VoiceTransport, options = {}) =>
  new VoiceSession({ userId, stt: t.app.services.stt, tts: t.app.services.tts, assistant: t.app.services.assistant, transport: tr, language: 'en-IN', log: t.app.log, options });

it('pauses audio while the client is behind and closes it with 1008 when it stops reading', async () => {
  const { tr, sent } = transport(() => 10 * 1024 * 1024);
  const s = session(tr, { highWaterBytes: 64 * 1024, slowReaderTimeoutMs: 300 });
  await s.begin();
  await s.say('what can you do');
  expect(sent.closed).toEqual({ code: 1008, reason: expect.any(String) });
  expect(sent.audio).toBe(0);
});

it('resumes sending once the client catches up', async () => {
  let buffered = 10 * 1024 * 1024;
  const { tr, sent } = transport(() => buffered);
  const s = session(tr, { highWaterBytes: 64 * 1024, slowReaderTimeoutMs: 5000, playbackLeadMs: Infinity });
  await s.begin();
  setTimeout(() => (buffered = 0), 200);
  await s.say('what can you do');
  expect(sent.closed).toBeUndefined();
  expect(sent.audio).toBeGreaterThan(0);
  expect(sent.json.filter((m) => m.event === 'tts-end').at(-1).data).toEqual({ interrupted: false });
  s.close();
});

it('paces reply audio to real time plus the playback lead', async () => {
  const sends: Array<{ at: number; bytes: number }> = [];
  const tr: VoiceTransport = { sendJson: () => undefined, sendAudio: (b) => sends.push({ at: performance.now(), bytes: b.length }), bufferedAmount: () => 0, close: () => undefined };
  const s = session(tr, { playbackLeadMs: 300 });
  await s.begin();
  await s.say('what can you do');
  s.close();
  const bytesPerMs = 32; // 16 kHz PCM16
  const t0 = sends[0]!.at;
  let sentMs = 0;
  for (const x of sends) {
    expect(sentMs - (x.at - t0)).toBeLessThanOrEqual(300 + 60);
    sentMs += x.bytes / bytesPerMs;
  }
  expect(sentMs).toBeGreaterThan(1000); // the reply is longer than the lead, so pacing was exercised
});

it('starts speaking as soon as the assistant hands out the reply, before its turn is fully done', async () => {
  const { tr, sent } = transport(() => 0);
  let release!: () => void;
  const bookkeeping = new Promise<void>((r) => (release = r));
  let spokenBeforeDone = false;
  const assistant: AssistantPort = {
    async run(_turn, _signal, hooks) {
      const reply = { reply: 'Your reading is saved.', route: 'log', language: 'en-IN', actions: [] };
      hooks?.onReply?.(reply);
      // The session reacts to the reply while the turn's chat event would still be committing.
      await new Promise((r) => setTimeout(r, 300));
      spokenBeforeDone = sent.json.some((m) => m.event === 'tts-start') && sent.audio > 0;
      release();
      return reply;
    },
  };
  const s = new VoiceSession({ userId, stt: t.app.services.stt, tts: t.app.services.tts, assistant, transport: tr, language: 'en-IN', log: t.app.log, options: { playbackLeadMs: Infinity } });
  await s.begin();
  await s.say('my bp is 120 over 80');
  await bookkeeping;
  s.close();
  expect(spokenBeforeDone).toBe(true);
  const names = sent.json.map((m) => m.event);
  expect(names.filter((n) => n === 'intent-end')).toHaveLength(1);
  expect(names.filter((n) => n === 'tts-start')).toHaveLength(1);
  expect(names.at(-1)).toBe('run-end');
});
