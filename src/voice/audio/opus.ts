/**
 * Ogg or WebM Opus in, 16 kHz mono PCM out, through prism-media's demuxers and its opusscript
 * decoder. Opus decodes natively at 16 kHz (and downmixes stereo to mono), so no resampler is
 * needed on this path. The container is recognised from the first bytes.
 */
import { Transform } from 'node:stream';
import prism from 'prism-media';

export type OpusContainer = 'ogg' | 'webm';

const OGG_MAGIC = Buffer.from('OggS', 'ascii');
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

export function detectOpusContainer(firstBytes: Uint8Array): OpusContainer | undefined {
  const b = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, Math.min(4, firstBytes.length));
  if (b.length < 4) return undefined;
  if (b.equals(OGG_MAGIC)) return 'ogg';
  if (b.equals(EBML_MAGIC)) return 'webm';
  return undefined;
}

export class OpusFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpusFormatError';
  }
}

/**
 * Push container bytes in; decoded samples arrive through `onPcm` (asynchronously: the
 * demuxer and decoder are Node streams). The first error is reported once through `onError`
 * and the decoder stops.
 */
export class OpusDecoder {
  private head = Buffer.alloc(0);
  private demuxer: Transform | undefined;
  private decoder: Transform | undefined;
  private failed = false;
  private done: Promise<void> | undefined;

  constructor(
    private readonly onPcm: (pcm: Int16Array) => void,
    private readonly onError: (err: Error) => void,
    readonly sampleRate: 8000 | 12000 | 16000 | 24000 | 48000 = 16000,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    if (!this.demuxer) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 4) return;
      const container = detectOpusContainer(this.head);
      if (!container) return this.fail(new OpusFormatError('audio is neither Ogg nor WebM'));
      this.start(container);
      const first = this.head;
      this.head = Buffer.alloc(0);
      this.demuxer!.write(first);
      return;
    }
    this.demuxer.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  /** Resolves when everything pushed so far has been decoded and delivered. */
  end(): Promise<void> {
    if (this.done) return this.done;
    if (!this.demuxer || !this.decoder || this.failed) return (this.done = Promise.resolve());
    const decoder = this.decoder;
    this.done = new Promise<void>((resolve) => {
      decoder.once('end', resolve);
      decoder.once('close', resolve);
      decoder.resume();
    });
    this.demuxer.end();
    return this.done;
  }

  destroy(): void {
    this.failed = true;
    this.demuxer?.destroy();
    this.decoder?.destroy();
  }

  private start(container: OpusContainer): void {
    this.demuxer = container === 'ogg' ? new prism.opus.OggDemuxer() : new prism.opus.WebmDemuxer();
    this.decoder = new prism.opus.Decoder({ rate: this.sampleRate, channels: 1, frameSize: this.sampleRate / 50 });
    this.demuxer.on('error', (e: Error) => this.fail(new OpusFormatError(`bad ${container} stream: ${e.message}`)));
    this.decoder.on('error', (e: Error) => this.fail(new OpusFormatError(`bad Opus packet: ${e.message}`)));
    this.decoder.on('data', (buf: Buffer) => {
      if (this.failed) return;
      // Copy out of opusscript's wasm heap view into an aligned array of our own.
      const pcm = new Int16Array(buf.length >> 1);
      for (let i = 0; i < pcm.length; i++) pcm[i] = buf.readInt16LE(i * 2);
      this.onPcm(pcm);
    });
    this.demuxer.pipe(this.decoder);
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.demuxer?.unpipe();
    this.demuxer?.destroy();
    this.decoder?.destroy();
    this.onError(err);
  }
}
