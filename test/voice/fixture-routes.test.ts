/**
 * Each audio fixture, as the local recogniser hears it (the manifest's `transcript`, which the
 * pocketsphinx tests hold the recogniser to), takes the route it is labelled with. The socket test
 * streams one fixture per route; this covers the others, such as recommendation-rice.wav.
 */
import { describe, expect, it } from 'vitest';
import { understand } from '../../graphs/assistant/nlu/index.js';
import { fixtureManifest } from './audio/fixtures.js';
import { expectedRoute } from './helpers.js';

const ctx = { now: new Date('2025-11-20T10:00:00+05:30'), timeZone: 'Asia/Kolkata', medications: ['Metformin', 'Amlodipine'] };

describe('fixture transcripts', () => {
  it.each(fixtureManifest().map((u) => [u.file, u] as const))('%s', (_f, u) => {
    expect(understand(u.transcript, ctx).route).toBe(expectedRoute(u));
  });

  it('"is rice good for diabetes" is a diet question, not a meal', () => {
    const u = fixtureManifest().find((f) => f.file === 'recommendation-rice.wav')!;
    const r = understand(u.transcript, ctx);
    expect(r.route === 'recommendation' && r.slots.diet).toEqual({ foods: ['rice'], conditions: ['diabetes'] });
  });
});
