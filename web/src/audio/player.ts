/**
 * Reply audio, played as it streams: each PCM16 chunk becomes an AudioBuffer scheduled right after
 * the previous one, so playback starts with the first chunk and has no gaps between them.
 */
import { Pcm16Decoder } from './pcm.js';

/** Scheduling slack for the first chunk: enough to absorb main-thread jitter. */
const LEAD_S = 0.05;

export interface PlayerStats {
  chunks: number;
  samples: number;
  /** performance.now() when the first reply audio was scheduled to start, if ever. */
  firstStartedAt: number | null;
}

export class Player {
  readonly stats: PlayerStats = { chunks: 0, samples: 0, firstStartedAt: null };
  private readonly decoder = new Pcm16Decoder();
  private readonly sources = new Set<AudioBufferSourceNode>();
  private nextAt = 0;

  constructor(
    private readonly ctx: AudioContext,
    private readonly onPlaying: (playing: boolean) => void,
  ) {}

  get playing(): boolean {
    return this.sources.size > 0;
  }

  play(chunk: ArrayBuffer, sampleRate: number) {
    const samples = this.decoder.decode(new Uint8Array(chunk));
    if (samples.length === 0) return;
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
    const buffer = this.ctx.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples, 0);
    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.ctx.destination);
    const at = Math.max(this.nextAt, this.ctx.currentTime + LEAD_S);
    src.start(at);
    this.nextAt = at + buffer.duration;
    const wasPlaying = this.playing;
    this.sources.add(src);
    src.onended = () => {
      this.sources.delete(src);
      if (!this.playing) this.onPlaying(false);
    };
    this.stats.chunks++;
    this.stats.samples += samples.length;
    this.stats.firstStartedAt ??= performance.now();
    if (!wasPlaying) this.onPlaying(true);
  }

  /** Barge-in: silence now and forget what was queued. */
  stop() {
    const was = this.playing;
    for (const s of this.sources) {
      s.onended = null;
      try {
        s.stop();
      } catch {
        /* not started yet */
      }
      s.disconnect();
    }
    this.sources.clear();
    this.nextAt = 0;
    this.decoder.reset();
    if (was) this.onPlaying(false);
  }
}
