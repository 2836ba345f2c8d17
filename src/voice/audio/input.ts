/**
 * Client audio in whatever format the session negotiated → 16 kHz mono frames of 20 ms, from
 * network chunks of any size. Frames are delivered through a callback rather than an async
 * iterator: at a thousand sessions × 50 frames a second the per-frame promise would dominate.
 * PCM and μ-law frames are delivered synchronously inside push(); Opus ones a tick later.
 */
import { FRAME_SAMPLES, PIPELINE_RATE, type InputFormat } from './format.js';
import { mulawDecode } from './mulaw.js';
import { OpusDecoder } from './opus.js';
import { FrameSplitter, Pcm16Decoder } from './pcm16.js';
import { Resampler } from './resampler.js';

export interface AudioInputHandlers {
  onFrame(frame: Int16Array): void;
  /** Undecodable input (e.g. garbage Opus). The input stops; the session decides what to do. */
  onError(err: Error): void;
}

export class AudioInput {
  private readonly pcm = new Pcm16Decoder();
  private readonly frames = new FrameSplitter(FRAME_SAMPLES);
  private readonly opus: OpusDecoder | undefined;
  private closed = false;
  private readonly emit: (frame: Int16Array) => void;
  /** Total 16 kHz samples delivered, i.e. the audio clock of this input. */
  samples = 0;

  private constructor(
    readonly format: InputFormat,
    private readonly resampler: Resampler,
    private readonly handlers: AudioInputHandlers,
  ) {
    this.emit = (frame) => {
      this.samples += frame.length;
      handlers.onFrame(frame);
    };
    if (format.encoding === 'opus') {
      this.opus = new OpusDecoder((pcm) => this.deliver(pcm), (err) => this.fail(err), PIPELINE_RATE);
    }
  }

  static async create(format: InputFormat, handlers: AudioInputHandlers): Promise<AudioInput> {
    // Opus decodes straight to 16 kHz whatever rate it was recorded at.
    const inRate = format.encoding === 'opus' ? PIPELINE_RATE : format.sampleRate;
    return new AudioInput(format, await Resampler.create(inRate, PIPELINE_RATE), handlers);
  }

  push(chunk: Uint8Array): void {
    if (this.closed || chunk.length === 0) return;
    switch (this.format.encoding) {
      case 'pcm_s16le':
        this.deliver(this.resampler.process(this.pcm.push(chunk)));
        return;
      case 'mulaw':
        this.deliver(this.resampler.process(mulawDecode(chunk)));
        return;
      case 'opus':
        this.opus!.push(chunk);
        return;
    }
  }

  /** Delivers what is still buffered (resampler tail, Opus in flight, a last partial frame). */
  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.opus) await this.opus.end();
    this.deliver(this.resampler.flush());
    this.frames.flush(this.emit);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.opus?.destroy();
    this.resampler.release();
  }

  private deliver(pcm16k: Int16Array): void {
    if (this.closed || pcm16k.length === 0) return;
    this.frames.push(pcm16k, this.emit);
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.close();
    this.handlers.onError(err);
  }
}
