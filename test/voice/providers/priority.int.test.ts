/** Speech processes run below the event loop's priority (src/voice/providers/priority.ts). */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECODER_NICENESS, SYNTHESIZER_NICENESS } from '../../../src/voice/providers/priority.js';
import { PocketsphinxStt } from '../../../src/voice/providers/stt/pocketsphinx.js';
import { LocalTts } from '../../../src/voice/providers/tts/local.js';

const ready = spawnSync('sh', ['-c', 'command -v espeak-ng && command -v flite']).status === 0;

/** Niceness of every live descendant of this process, by command name (/proc/<pid>/stat). */
function descendants(): Array<{ comm: string; nice: number }> {
  const procs = new Map<number, { ppid: number; comm: string; nice: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      procs.set(Number(d), { ppid: Number(fields[1]), comm, nice: Number(fields[16]) });
    } catch {
      // exited while we looked
    }
  }
  const mine = (pid: number): boolean => pid === process.pid || (pid > 1 && procs.has(pid) && mine(procs.get(pid)!.ppid));
  return [...procs.entries()].filter(([pid, p]) => pid !== process.pid && mine(p.ppid)).map(([, p]) => ({ comm: p.comm, nice: p.nice }));
}

async function synthesizersSeen(tts: LocalTts, language: string, engine: string): Promise<number[]> {
  const stream = tts.stream({ language, sampleRate: 16000 });
  stream.pushText('This sentence is long enough that the synthesizer is still running while the test looks at the process table, which takes a moment.');
  stream.flush();
  const seen: number[] = [];
  const reading = (async () => {
    for await (const e of stream) if (e.type === 'done' || e.type === 'error') break;
  })();
  let done = false;
  void reading.finally(() => (done = true));
  while (!done && seen.length === 0) {
    for (const p of descendants()) if (p.comm === engine) seen.push(p.nice);
    await new Promise((r) => setImmediate(r));
  }
  await reading;
  stream.close();
  return seen;
}

describe.skipIf(!ready)('speech process priority', () => {
  it('runs flite and espeak-ng at the synthesizer niceness', async () => {
    const tts = new LocalTts();
    expect(await synthesizersSeen(tts, 'en-IN', 'flite')).toContain(SYNTHESIZER_NICENESS);
    expect(await synthesizersSeen(tts, 'hi-IN', 'espeak-ng')).toContain(SYNTHESIZER_NICENESS);
    await tts.close();
  });
});

describe.skipIf(!ready)('decoder priority', () => {
  it('runs each podd-stt decoder (streams and spares) at the decoder niceness', async () => {
    const stt = new PocketsphinxStt({ spares: 1 });
    const stream = stt.stream({ language: 'en-IN' });
    try {
      const decoders = descendants().filter((p) => p.comm === 'podd-stt');
      expect(decoders.length).toBeGreaterThanOrEqual(2);
      expect(decoders.every((p) => p.nice === DECODER_NICENESS)).toBe(true);
    } finally {
      stream.close();
      await stt.close();
    }
  });
});
