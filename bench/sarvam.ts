/**
 * Sarvam providers against the fake Sarvam server (which adds 150 ms of "synthesis" per sentence):
 * - first audio of a three-sentence reply, streaming TTS (/text-to-speech/ws) vs REST TTS
 *   (our REST provider, one POST per sentence), and for reference the whole reply as one POST;
 * - provider-layer overhead per request: our REST provider call (validation, resilience, WAV
 *   and rate handling) minus the same request made with bare fetch, paired and interleaved.
 * The fake runs in its own process (`npm run fake:sarvam`), so its work and GC pauses are not
 * charged to the providers.
 */
import { writeWav } from '../src/voice/audio/wav.js';
import { SarvamRestStt, SarvamRestTts, SarvamStreamingTts, sarvamVoiceSettings } from '../src/voice/providers/sarvam/index.js';
import type { TtsProvider } from '../src/voice/providers/types.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { utterancePcm } from '../test/fakes/sarvam/index.js';

const KEY = 'sk_bench_sarvam_0001';
const REPLY = ['Your blood pressure yesterday was 130 over 85.', 'That is a little above your target.', 'Try a short walk after dinner today.'];
const ROUNDS = 15;
const PAIRS = 300;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function firstAudioMs(tts: TtsProvider): Promise<number> {
  const t0 = performance.now();
  const stream = tts.stream({ language: 'en-IN', sampleRate: 16000 });
  for (const s of REPLY) stream.pushText(s);
  stream.flush();
  let first: number | undefined;
  for await (const ev of stream) {
    if (ev.type === 'audio') first ??= performance.now() - t0;
    if (ev.type === 'error') throw new Error(`tts failed: ${ev.error.code}`);
  }
  if (first === undefined) throw new Error('no audio');
  return first;
}

async function wholeReplyFirstAudioMs(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/text-to-speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-subscription-key': KEY },
    body: JSON.stringify({ text: REPLY.join(' '), language_code: 'en-IN', model: 'bulbul:v3', speaker: 'shubh', speech_sample_rate: 16000, output_audio_codec: 'wav' }),
  });
  await res.json();
  return performance.now() - t0;
}

/** Starts `scripts/fake-sarvam.ts` on a free port; resolves with its URL. */
function startFakeProcess(ttsDelayMs: number): Promise<{ url: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, '..', 'scripts', 'fake-sarvam.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--port', '0', '--tts-delay-ms', String(ttsDelayMs), '--transcript', 'what was my bp yesterday'], {
    env: { ...process.env, SARVAM_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`fake Sarvam exited with ${code}`)));
  });
}

export default async () => {
  const [slow, quick] = await Promise.all([startFakeProcess(150), startFakeProcess(0)]);
  try {
    const settings = (mode: 'rest' | 'stream', baseUrl: string) => sarvamVoiceSettings({ apiKey: KEY, baseUrl, ttsMode: mode, sttMode: 'rest' });
    const streaming = new SarvamStreamingTts(settings('stream', slow.url));
    const rest = new SarvamRestTts(settings('rest', slow.url));

    // First audio, 150 ms per sentence, subject and baselines alternating.
    const stream: number[] = [];
    const restMs: number[] = [];
    const whole: number[] = [];
    await firstAudioMs(streaming);
    await firstAudioMs(rest);
    for (let i = 0; i < ROUNDS; i++) {
      stream.push(await firstAudioMs(streaming));
      restMs.push(await firstAudioMs(rest));
      whole.push(await wholeReplyFirstAudioMs(slow.url));
    }

    // Overhead: no synthesis delay, so what is left is wire + our layer.
    const fake = quick;
    const restQuick = new SarvamRestTts(settings('rest', quick.url));
    const stt = new SarvamRestStt(settings('rest', quick.url));
    const pcm16 = utterancePcm({ speechMs: 300 });
    const pcm = new Int16Array(pcm16.length / 2);
    for (let i = 0; i < pcm.length; i++) pcm[i] = pcm16.readInt16LE(i * 2);
    const wav = writeWav(pcm, 16000);
    const ttsBody = JSON.stringify({ text: REPLY[0], language_code: 'en-IN', model: 'bulbul:v3', speaker: 'shubh', speech_sample_rate: 16000, output_audio_codec: 'wav' });

    const rawTts = async () => {
      const res = await fetch(`${fake.url}/text-to-speech`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'api-subscription-key': KEY }, body: ttsBody });
      const body = (await res.json()) as { audios: string[] };
      Buffer.from(body.audios[0]!, 'base64');
    };
    const rawStt = async () => {
      const form = new FormData();
      form.append('file', new Blob([wav], { type: 'audio/wav' }), 'audio.wav');
      form.append('model', 'saaras:v3');
      form.append('language_code', 'unknown');
      form.append('input_audio_codec', 'wav');
      const res = await fetch(`${fake.url}/speech-to-text`, { method: 'POST', headers: { accept: 'application/json', 'api-subscription-key': KEY }, body: form });
      await res.json();
    };
    const ours = [() => restQuick.synthesize(REPLY[0]!, 'en-IN', { sampleRate: 16000 }), () => stt.transcribe(pcm, 'en-IN')];
    const raws = [rawTts, rawStt];
    const time = async (f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      return performance.now() - t;
    };
    const overhead: number[] = [];
    const byKind: number[][] = [[], []];
    for (let i = 0; i < PAIRS + 40; i++) {
      const k = i % 2;
      // Alternate which goes first, so neither always meets a warm connection.
      const [a, b] = i % 4 < 2 ? [await time(ours[k]!), await time(raws[k]!)] : [0, 0];
      const [c, d] = i % 4 >= 2 ? [await time(raws[k]!), await time(ours[k]!)] : [0, 0];
      if (i < 40) continue; // warm-up: JIT, pools, keep-alive
      overhead.push(i % 4 < 2 ? a - b : d - c);
      byKind[k]!.push(i % 4 < 2 ? a - b : d - c);
    }

    console.error(
      JSON.stringify({
        rounds: ROUNDS,
        tts_stream_first_audio_ms: { p50: round(pct(stream, 50)), max: round(Math.max(...stream)) },
        tts_rest_per_sentence_first_audio_ms: { p50: round(pct(restMs, 50)), max: round(Math.max(...restMs)) },
        tts_rest_whole_reply_first_audio_ms: { p50: round(pct(whole, 50)), max: round(Math.max(...whole)) },
        provider_overhead_ms: { pairs: overhead.length, p50: round(pct(overhead, 50)), p99: round(pct(overhead, 99)) },
        tts_overhead_ms: { p50: round(pct(byKind[0]!, 50)), p90: round(pct(byKind[0]!, 90)), p99: round(pct(byKind[0]!, 99)) },
        stt_overhead_ms: { p50: round(pct(byKind[1]!, 50)), p90: round(pct(byKind[1]!, 90)), p99: round(pct(byKind[1]!, 99)) },
      }),
    );
    return {
      tts_stream_first_audio_ms: round(pct(stream, 50)),
      tts_rest_first_audio_ms: round(pct(restMs, 50)),
      provider_overhead_p99_ms: round(pct(overhead, 99)),
    };
  } finally {
    for (const { child } of [slow, quick]) child.kill('SIGTERM');
  }
};
