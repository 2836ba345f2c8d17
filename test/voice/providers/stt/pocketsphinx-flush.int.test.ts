/**
 * end() and the final: a decoder that answers `final`, `speech-end` and `flushed` in one write
 * (what podd-stt does when end() closes the utterance, and what a busy server reads after a
 * lagging decoder) must not let end() resolve before the stream's reader has seen the final.
 * The decoder here is a stand-in speaking podd-stt's stdin/stdout protocol.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateSpeechAssets, SpeechAssetsMissing } from '../../../../src/voice/providers/speech-assets.js';
import { PocketsphinxStt } from '../../../../src/voice/providers/stt/pocketsphinx.js';

const DECODER = `#!/usr/bin/env node
process.stdout.write('{"type":"ready"}\\n');
let buf = Buffer.alloc(0);
let utterance = 0;
process.stdin.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length > 0) {
    const t = buf[0];
    if (t === 0x51) process.exit(0);
    if (t === 0x45) {
      buf = buf.subarray(1);
      utterance++;
      process.stdout.write('{"type":"speech-start"}\\n{"type":"partial","text":"two"}\\n{"type":"final","text":"utterance ' + utterance + '"}\\n{"type":"speech-end"}\\n{"type":"flushed"}\\n');
      continue;
    }
    if (buf.length < 5 || buf.length < 5 + buf.readUInt32LE(1)) return;
    buf = buf.subarray(5 + buf.readUInt32LE(1));
  }
});
`;

let dir: string;
let stt: PocketsphinxStt;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'podd-fake-stt-'));
  const decoder = join(dir, 'decoder.mjs');
  writeFileSync(decoder, DECODER);
  chmodSync(decoder, 0o755);
  // The stand-in ignores its arguments; freeSpeech: false spares it the general model's file.
  stt = new PocketsphinxStt({ assets: { dir, decoder, domainLm: '', domainDict: '', mergedDict: '', modelDir: '', acousticModel: '', generalLm: '' }, freeSpeech: false, spares: 0 });
});
afterAll(async () => {
  await stt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local STT end() ordering', () => {
  it('resolves end() only after the reader has been handed that utterance final', async () => {
    const stream = stt.stream({ language: 'en-IN' });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of stream) seen.push(e.type === 'final' ? `final:${e.text}` : e.type);
    })();
    for (let n = 1; n <= 3; n++) {
      stream.push(new Int16Array(320));
      await stream.end();
      expect(seen.at(-2), `utterance ${n}`).toBe(`final:utterance ${n}`);
      expect(seen.at(-1)).toBe('speech-end');
    }
    stream.close();
    await reading;
    expect(seen.filter((e) => e.startsWith('final'))).toEqual(['final:utterance 1', 'final:utterance 2', 'final:utterance 3']);
  });

  it('refuses speech assets without the pruned general model, naming the missing file', () => {
    const assets = mkdtempSync(join(tmpdir(), 'podd-assets-'));
    try {
      writeFileSync(join(assets, 'manifest.json'), JSON.stringify({ modelDir: assets }));
      mkdirSync(join(assets, 'en-us'));
      for (const f of ['podd-stt', 'domain.lm', 'domain.dict', 'podd.dict']) writeFileSync(join(assets, f), '');
      expect(() => locateSpeechAssets(assets)).toThrow(SpeechAssetsMissing);
      expect(() => locateSpeechAssets(assets)).toThrow(/general\.lm\.bin/);
      writeFileSync(join(assets, 'general.lm.bin'), '');
      expect(locateSpeechAssets(assets).generalLm).toBe(join(assets, 'general.lm.bin'));
    } finally {
      rmSync(assets, { recursive: true, force: true });
    }
  });

  it('transcribe() still returns the text of a whole recording', async () => {
    await expect(stt.transcribe(new Int16Array(16000), 'en-IN')).resolves.toEqual({ text: 'utterance 1', language: 'en-IN' });
  });
});
