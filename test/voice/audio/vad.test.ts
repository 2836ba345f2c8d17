import { describe, expect, it } from 'vitest';
import { Endpointer, type EndpointEvent } from '../../../src/voice/audio/vad.js';
import { fixtureManifest, fixturePcm } from './fixtures.js';

function run(ep: Endpointer, pcm: Int16Array, chunk = 320): EndpointEvent[] {
  const events: EndpointEvent[] = [];
  for (let o = 0; o < pcm.length; o += chunk) events.push(...ep.push(pcm.subarray(o, o + chunk)));
  return events;
}

describe('Endpointer (WebRTC VAD)', () => {
  it('finds the start and end of speech in every fixture (0.5 s silence, speech, 0.8 s silence)', async () => {
    for (const u of fixtureManifest()) {
      const pcm = fixturePcm(u.file);
      const ep = await Endpointer.create({ endSilenceMs: 400 });
      const events = run(ep, pcm);
      ep.close();
      const durationMs = (pcm.length / 16000) * 1000;
      expect(events.map((e) => e.type), u.file).toEqual(['speech-start', 'speech-end']);
      const [start, end] = events as [EndpointEvent, Extract<EndpointEvent, { type: 'speech-end' }>];
      expect(start.atMs, u.file).toBeGreaterThanOrEqual(400);
      expect(start.atMs, u.file).toBeLessThanOrEqual(850);
      expect(end.atMs - end.speechEndedAtMs).toBe(400);
      expect(end.speechEndedAtMs, u.file).toBeGreaterThan(durationMs - 800 - 300);
      expect(end.atMs, u.file).toBeLessThanOrEqual(durationMs);
    }
  });

  it('stays quiet on silence and low noise', async () => {
    const ep = await Endpointer.create({ aggressiveness: 3 });
    const noise = Int16Array.from({ length: 16000 * 3 }, (_, i) => ((i * 2654435761) % 61) - 30);
    expect(run(ep, new Int16Array(16000 * 2))).toEqual([]);
    expect(run(ep, noise)).toEqual([]);
    ep.close();
  });

  it('uses the configured end-of-speech silence, in 10 ms frames and arbitrary chunks', async () => {
    const u = fixtureManifest()[0]!;
    const pcm = fixturePcm(u.file);
    const ep = await Endpointer.create({ frameMs: 10, endSilenceMs: 250, speechStartMs: 30 });
    const events = run(ep, pcm, 333);
    const end = events.find((e) => e.type === 'speech-end') as Extract<EndpointEvent, { type: 'speech-end' }>;
    expect(end.atMs - end.speechEndedAtMs).toBe(250);
    ep.close();
  });

  it('ignores a click shorter than the speech-start threshold', async () => {
    const ep = await Endpointer.create({ speechStartMs: 200 });
    const u = fixtureManifest()[0]!;
    const speech = fixturePcm(u.file).subarray(8000, 8000 + 1600); // 100 ms of speech
    const events = run(ep, Int16Array.from([...new Int16Array(8000), ...speech, ...new Int16Array(16000)]));
    expect(events).toEqual([]);
    ep.close();
  });

  it('rejects frame sizes libfvad cannot take', async () => {
    await expect(Endpointer.create({ frameMs: 25 as 20 })).rejects.toThrow(RangeError);
  });
});
