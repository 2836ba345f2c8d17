import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventQueue } from '../../src/voice/providers/event-queue.js';
import type { SttEvent, SttProvider, TtsProvider } from '../../src/voice/providers/types.js';
import { VoiceSession, type SpokenTurn, type VoiceTransport } from '../../src/voice/session.js';
import { turnHandle, type AssistantPort, type AssistantReply, type TurnHandle } from '../../graphs/assistant/port.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { fixturePcm } from './audio/fixtures.js';

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
    start: () =>
      turnHandle(async (decide) => {
        const reply = { reply: 'Your reading is saved.', route: 'log', language: 'en-IN', actions: [] };
        decide(reply);
        // The session reacts to the reply while the turn's chat event would still be committing:
        // the turn stays unfinished until the reply's audio is out (or 10 s pass, which fails).
        const until = Date.now() + 10_000;
        while (!(sent.json.some((m) => m.event === 'tts-start') && sent.audio > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        spokenBeforeDone = sent.json.some((m) => m.event === 'tts-start') && sent.audio > 0;
        release();
        return reply;
      }),
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

it('an answer that fails while the turn is still being stored is no unhandled rejection: the turn reports it once done', async () => {
  const { tr } = transport(() => 0);
  const broken = new Error('tts down');
  const tts: TtsProvider = {
    name: 'broken',
    stream: () => {
      throw broken;
    },
    synthesize: async () => {
      throw broken;
    },
    close: async () => undefined,
  };
  let stored = false;
  const assistant: AssistantPort = {
    start: () =>
      turnHandle(async (decide) => {
        const reply = { reply: 'Your reading is saved.', route: 'log', language: 'en-IN', actions: [] };
        decide(reply);
        // The answer fails meanwhile, and nothing waits on it until the turn is done.
        await new Promise((r) => setTimeout(r, 100));
        stored = true;
        return reply;
      }),
  };
  const s = new VoiceSession({ userId, stt: t.app.services.stt, tts, assistant, transport: tr, language: 'en-IN', log: t.app.log });
  await s.begin();
  await expect(s.say('my bp is 120 over 80')).rejects.toBe(broken);
  expect(stored).toBe(true);
  s.close();
});

/*
 * Run-ahead: a spoken turn's assistant run starts at the end of speech, while the recogniser is
 * still finishing, and gets the words when the final is in. The recogniser here is a local one
 * whose final comes a set time after `end()` (as a real decoder's or a cloud service's does);
 * the assistant is the app's real one on the embedded store.
 */
describe('run-ahead', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Finals arrive `delayMs` after end(), with the text the test sets. */
  class LateFinalStt implements SttProvider {
    readonly name = 'late-final';
    constructor(
      public text: string,
      private readonly delayMs: number,
    ) {}
    stream() {
      const events = new EventQueue<SttEvent>();
      return {
        push: () => undefined,
        end: async () => {
          await sleep(this.delayMs);
          events.push({ type: 'final', text: this.text, language: 'en-IN' });
        },
        close: () => events.end(),
        [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
      };
    }
    transcribe = async () => ({ text: this.text, language: 'en-IN' });
    close = async () => undefined;
  }

  function recorder() {
    const sent = { json: [] as any[], audio: 0 };
    const tr: VoiceTransport = { sendJson: (m) => sent.json.push(m), sendAudio: (b) => (sent.audio += b.length), bufferedAmount: () => 0, close: () => undefined };
    const names = () => sent.json.filter((m) => m.type === 'event').map((m) => m.event as string);
    return { tr, sent, names };
  }

  /** The real assistant, with a note of which events had gone out when each entry point was called. */
  function observed() {
    const real = t.app.services.assistant as Required<AssistantPort>;
    const calls: Array<{ how: 'start' | 'startHeard'; eventsThen: string[]; result: Promise<unknown> }> = [];
    let names: () => string[] = () => [];
    const note = (how: 'start' | 'startHeard', handle: TurnHandle) => (calls.push({ how, eventsThen: names(), result: handle.done }), handle);
    const port: AssistantPort = {
      start: (turn, opts) => note('start', real.start(turn, opts)),
      startHeard: (turn, heard, opts) => note('startHeard', real.startHeard(turn, heard, opts)),
    };
    return { port, calls, watch: (n: () => string[]) => void (names = n) };
  }

  /** Push-to-talk: one frame of audio, then `end` (resolves when the turn is over). */
  async function speak(s: VoiceSession) {
    s.handleBinary(Buffer.alloc(640));
    await sleep(20);
    return s.handleText(JSON.stringify({ type: 'end' }));
  }

  const count = async (type: 'vitals' | 'chat') => (await t.app.services.health.forUser(userId).list(type, { limit: 100 })).items.length;

  /** Log lines by level (messages only). */
  const logged = { error: [] as string[], warn: [] as string[] };
  const log = {
    info: () => undefined,
    debug: () => undefined,
    warn: (_o: unknown, msg?: string) => void logged.warn.push(String(msg)),
    error: (_o: unknown, msg?: string) => void logged.error.push(String(msg)),
  };

  function session(stt: SttProvider, assistant: AssistantPort, tr: VoiceTransport, options = {}) {
    return new VoiceSession({ userId, stt, tts: t.app.services.tts, assistant, transport: tr, language: 'en-IN', log: log as never, options: { playbackLeadMs: Infinity, ...options } });
  }

  it('starts the assistant at the end of speech and answers once the final transcript is in', async () => {
    const { tr, sent, names } = recorder();
    const a = observed();
    a.watch(names);
    const vitals = await count('vitals');
    const s = session(new LateFinalStt('my BP is 140 over 90', 400), a.port, tr);
    await s.begin({ vad: false });
    await speak(s);
    s.close();
    expect(a.calls).toHaveLength(1);
    expect(a.calls[0]!.how).toBe('startHeard');
    // Called when speech ended, before the recogniser's final.
    expect(a.calls[0]!.eventsThen).toContain('vad-end');
    expect(a.calls[0]!.eventsThen).not.toContain('stt-end');
    const turn = names().slice(names().lastIndexOf('run-start'));
    expect(turn.slice(0, 7)).toEqual(['run-start', 'vad-start', 'vad-end', 'stt-end', 'intent-start', 'intent-end', 'tts-start']);
    expect(turn.at(-1)).toBe('run-end');
    expect(sent.json.find((m) => m.event === 'intent-end').data).toMatchObject({ route: 'log' });
    expect(sent.audio).toBeGreaterThan(0);
    expect(await count('vitals')).toBe(vitals + 1);
    const runEnd = sent.json.find((m) => m.event === 'run-end').data;
    // stt_ms holds the recogniser's 400 ms; graph_ms counts from the words, not from the end of speech.
    expect(runEnd.timings.stt_ms).toBeGreaterThanOrEqual(390);
    expect(runEnd.timings.graph_ms).toBeLessThan(390);
  });

  it('nothing heard: the turn started ahead ends with stt_failed and writes nothing', async () => {
    const { tr, sent, names } = recorder();
    const chats = await count('chat');
    const a = observed();
    const s = session(new LateFinalStt('', 80), a.port, tr);
    await s.begin({ vad: false });
    await speak(s);
    s.close();
    // The run started at the end of speech was ended, not left waiting, and that is no assistant failure.
    await expect(a.calls[0]!.result).rejects.toThrow('nothing was heard');
    expect(logged.error).toEqual([]);
    expect(names()).not.toContain('intent-start');
    const errors = sent.json.filter((m) => m.event === 'error').map((m) => m.data);
    expect(errors).toEqual([{ code: 'stt_failed', message: 'Sorry, I did not catch that.' }]);
    expect(names().at(-1)).toBe('run-end');
    expect(await count('chat')).toBe(chats);
  });

  it('says why a turn failed in the language the session speaks', async () => {
    const { tr, sent } = recorder();
    const s = session(new LateFinalStt('', 50), t.app.services.assistant, tr);
    await s.begin({ vad: false, language: 'hi-IN' });
    await speak(s);
    s.close();
    expect(sent.json.filter((m) => m.event === 'error').map((m) => m.data)).toEqual([{ code: 'stt_failed', message: 'माफ़ कीजिए, मैं समझ नहीं पाया।' }]);
  });

  it('an interrupt while the transcript is still coming gives the turn up: no answer, nothing written', async () => {
    const { tr, sent, names } = recorder();
    const vitals = await count('vitals');
    const chats = await count('chat');
    const a = observed();
    const s = session(new LateFinalStt('my BP is 150 over 95', 300), a.port, tr);
    await s.begin({ vad: false });
    const turn = speak(s);
    await sleep(100);
    await s.handleText(JSON.stringify({ type: 'interrupt' }));
    await expect(a.calls[0]!.result).rejects.toThrow();
    await turn; // the recogniser's final comes in after the turn was given up
    s.close();
    expect(names()).not.toContain('intent-start');
    expect(sent.json.filter((m) => m.event === 'error')).toEqual([]);
    expect(sent.json.find((m) => m.event === 'run-end').data.interrupted).toBe(true);
    expect(await count('vitals')).toBe(vitals);
    expect(await count('chat')).toBe(chats);
  });

  it("the assistant's time limit starts with the words, not at the end of speech", async () => {
    const { tr, sent, names } = recorder();
    const s = session(new LateFinalStt('what can you do', 400), t.app.services.assistant, tr, { assistantTimeoutMs: 250 });
    await s.begin({ vad: false });
    await speak(s);
    s.close();
    expect(sent.json.filter((m) => m.event === 'error')).toEqual([]);
    expect(names()).toContain('intent-end');
  });

  it('an assistant that does not answer in time after the words still fails the turn', async () => {
    const { tr, sent } = recorder();
    const stuck: AssistantPort = {
      start: () => turnHandle(() => new Promise(() => undefined)),
      startHeard: (_turn, heard) => turnHandle(async () => (await heard, new Promise(() => undefined))),
    };
    const s = session(new LateFinalStt('what can you do', 50), stuck, tr, { assistantTimeoutMs: 200 });
    await s.begin({ vad: false });
    await speak(s);
    s.close();
    expect(sent.json.filter((m) => m.event === 'error').map((m) => m.data)).toEqual([{ code: 'assistant_failed', message: 'Sorry, something went wrong. Please try again.' }]);
  });

  it('a reply that comes after the turn failed on its time limit is not spoken', async () => {
    const { tr, sent, names } = recorder();
    const late = (ms: number) => new Promise<AssistantReply>((r) => setTimeout(() => r({ reply: 'Too late.', route: 'chat', language: 'en-IN', actions: [] }), ms));
    const slow: AssistantPort = {
      start: () => turnHandle(() => late(400)),
      startHeard: (_turn, heard) => turnHandle(async () => (await heard, late(400))),
    };
    const s = session(new LateFinalStt('what can you do', 50), slow, tr, { assistantTimeoutMs: 200 });
    await s.begin({ vad: false });
    await speak(s);
    await sleep(500);
    s.close();
    expect(sent.json.filter((m) => m.event === 'error').map((m) => m.data.code)).toEqual(['assistant_failed']);
    expect(names()).not.toContain('intent-end');
    expect(names()).not.toContain('tts-start');
  });
});

/* What a transport (a phone call) learns from the session: typed, never read back from turn ids or events. */
describe('typed callbacks', () => {
  function recorder() {
    const done: Array<{ turnId: string; turn: SpokenTurn }> = [];
    let speech = 0;
    const tr: VoiceTransport = {
      sendJson: () => undefined,
      sendAudio: () => undefined,
      bufferedAmount: () => 0,
      close: () => undefined,
      audioDone: (turnId, turn) => void done.push({ turnId, turn }),
      speechStarted: () => void speech++,
    };
    return { tr, done, speech: () => speech };
  }

  it('audioDone says whether a turn was an announcement, a reply or a reminder; onReply has the reply', async () => {
    const { tr, done } = recorder();
    const replies: AssistantReply[] = [];
    const s = new VoiceSession({ userId, stt: t.app.services.stt, tts: t.app.services.tts, assistant: t.app.services.assistant, transport: tr, language: 'en-IN', log: t.app.log, options: { playbackLeadMs: Infinity }, onReply: (r) => void replies.push(r) });
    await s.begin();
    await s.announce('Hello, this is Podd.');
    await s.say('what can you do');
    s.deliverReminder({ notification_id: 'n-42', title: 'Drink water', message: 'Time for a glass of water.' });
    await vi.waitFor(() => expect(done).toHaveLength(3), { timeout: 10_000 });
    s.close();
    expect(done.map((d) => d.turn)).toEqual([{ kind: 'announcement' }, { kind: 'reply' }, { kind: 'reminder', notificationId: 'n-42' }]);
    // The wire's turn ids stay as they were (phone marks are named after them).
    expect(done.map((d) => d.turnId)).toEqual(['announce-1', `${s.id.slice(0, 8)}-2`, 'reminder-n-42']);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ route: 'chat', language: 'en-IN' });
    expect(replies[0]!.reply.length).toBeGreaterThan(0);
  });

  it('an announcement that speaks a reminder makes the next turn an answer to it', async () => {
    const { tr } = recorder();
    const contexts: unknown[] = [];
    const assistant: AssistantPort = {
      start: (turn) => (contexts.push(turn.context), turnHandle(async () => ({ reply: 'Noted.', route: 'medication', language: 'en-IN', actions: [] }))),
    };
    const s = new VoiceSession({ userId, stt: t.app.services.stt, tts: t.app.services.tts, assistant, transport: tr, language: 'en-IN', log: t.app.log, options: { playbackLeadMs: Infinity } });
    await s.begin();
    await s.say('hello');
    await s.announce('Time to take your Metformin. Have you taken it?', { reminder: 'n-7' });
    await s.say('yes I took it');
    s.close();
    expect(contexts).toEqual([undefined, { lastReminder: { notification_id: 'n-7' } }]);
  });

  it('speechStarted is called when the VAD hears the listener begin to speak', async () => {
    const { tr, speech } = recorder();
    const s = new VoiceSession({ userId, stt: t.app.services.stt, tts: t.app.services.tts, assistant: t.app.services.assistant, transport: tr, language: 'en-IN', log: t.app.log });
    await s.begin();
    expect(speech()).toBe(0);
    const pcm = fixturePcm('chat-thank-you.wav');
    s.handleBinary(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    await vi.waitFor(() => expect(speech()).toBe(1), { timeout: 10_000 });
    s.close();
  });
});
