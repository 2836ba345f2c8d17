import { describe, expect, it } from 'vitest';
import { AudioOutput } from '../../../src/voice/audio/output.js';
import { mulawDecode } from '../../../src/voice/audio/mulaw.js';
import { bytesToInt16 } from '../../../src/voice/audio/pcm16.js';
import { readWav } from '../../../src/voice/audio/wav.js';
import { sine, toneAmplitude } from './signals.js';

async function render(out: AudioOutput, pcm: Int16Array, rate: number): Promise<Buffer> {
  out.begin();
  const parts: Buffer[] = [];
  for (let o = 0; o < pcm.length; o += 2205) parts.push(await out.write(pcm.subarray(o, o + 2205), rate));
  parts.push(out.end());
  return Buffer.concat(parts);
}

describe('AudioOutput', () => {
  it('converts 22.05 kHz provider audio to 8 kHz μ-law', async () => {
    const bytes = await render(new AudioOutput({ encoding: 'mulaw', sampleRate: 8000 }), sine(440, 22050, 1), 22050);
    expect(Math.abs(bytes.length - 8000)).toBeLessThanOrEqual(2);
    expect(toneAmplitude(mulawDecode(bytes).subarray(400, 7600), 440, 8000)).toBeGreaterThan(11000);
  });

  it('streams WAV as one header per reply followed by PCM at the requested rate', async () => {
    const out = new AudioOutput({ encoding: 'wav', sampleRate: 24000 });
    for (let reply = 0; reply < 2; reply++) {
      const bytes = await render(out, sine(440, 16000, 0.5), 16000);
      expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
      expect(bytes.indexOf('RIFF', 4)).toBe(-1);
      const { pcm, sampleRate } = readWav(fixSize(bytes));
      expect(sampleRate).toBe(24000);
      expect(Math.abs(pcm.length - 12000)).toBeLessThanOrEqual(2);
    }
  });

  it('passes PCM16 through untouched when rates match', async () => {
    const x = sine(440, 16000, 0.2);
    const bytes = await render(new AudioOutput({ encoding: 'pcm_s16le', sampleRate: 16000 }), x, 16000);
    expect(bytesToInt16(bytes)).toEqual(x);
  });
});

/** Fills in the streaming header's placeholder sizes so a whole-file reader accepts it. */
function fixSize(bytes: Buffer): Buffer {
  const b = Buffer.from(bytes);
  b.writeUInt32LE(b.length - 8, 4);
  b.writeUInt32LE(b.length - 44, 40);
  return b;
}
