/**
 * The microphone: getUserMedia → AudioWorklet (16 kHz PCM16 frames) → a callback.
 * Chromium's echo cancellation, noise suppression and auto gain distort speech for STT, so they
 * are off unless the user turns them on (loudspeakers, where Podd would otherwise hear itself).
 */
import { MIC_PROCESSOR, type MicFlushedMessage, type MicFrameMessage } from './mic-protocol.js';

export type MicProblem = 'denied' | 'no-device' | 'busy' | 'insecure' | 'failed';

export class MicError extends Error {
  constructor(readonly problem: MicProblem, message: string) {
    super(message);
  }
}

export interface MicOptions {
  /** Echo cancellation, noise suppression and auto gain, together. */
  voiceProcessing: boolean;
}

const WORKLET_URL = new URL('./worklet.js', import.meta.url).href;
const loaded = new WeakSet<BaseAudioContext>();

function explain(err: unknown): MicError {
  const name = (err as { name?: string }).name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new MicError('denied', 'Microphone access was blocked. Allow the microphone for this site in the browser’s address bar, then press Talk again. You can also type below.');
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new MicError('no-device', 'No microphone was found. Plug one in, or type your message below.');
  if (name === 'NotReadableError' || name === 'AbortError') return new MicError('busy', 'The microphone is in use by another app or could not start. Close the other app and press Talk again.');
  return new MicError('failed', 'The microphone could not start. Press Talk to try again, or type below.');
}

export class Microphone {
  private flushWaiters: Array<() => void> = [];

  private constructor(
    private readonly stream: MediaStream,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
    private readonly sink: GainNode,
    onFrame: (pcm: ArrayBuffer, dbfs: number) => void,
  ) {
    node.port.onmessage = (ev: MessageEvent<MicFrameMessage | MicFlushedMessage>) => {
      if (ev.data.type === 'frame') onFrame(ev.data.pcm, ev.data.dbfs);
      else for (const w of this.flushWaiters.splice(0)) w();
    };
  }

  static async open(ctx: AudioContext, opts: MicOptions, onFrame: (pcm: ArrayBuffer, dbfs: number) => void): Promise<Microphone> {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      throw new MicError('insecure', 'This browser only allows the microphone on https:// or http://localhost. Open Podd from one of those, or type below.');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1,
          echoCancellation: opts.voiceProcessing,
          noiseSuppression: opts.voiceProcessing,
          autoGainControl: opts.voiceProcessing,
        },
      });
    } catch (err) {
      throw explain(err);
    }
    try {
      if (!loaded.has(ctx)) {
        await ctx.audioWorklet.addModule(WORKLET_URL);
        loaded.add(ctx);
      }
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, MIC_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
      // A muted path to the destination keeps the node pulled by the audio graph in every browser.
      const sink = ctx.createGain();
      sink.gain.value = 0;
      source.connect(node).connect(sink).connect(ctx.destination);
      return new Microphone(stream, source, node, sink, onFrame);
    } catch {
      for (const t of stream.getTracks()) t.stop();
      throw new MicError('failed', 'The audio engine could not start. Reload the page, or type below.');
    }
  }

  /** Resolves once every buffered sample has been posted as a frame. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 500);
      this.flushWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.node.port.postMessage({ type: 'flush' });
    });
  }

  /** True while the track delivers audio (unplugging a headset ends it). */
  get live(): boolean {
    return this.stream.getAudioTracks().some((t) => t.readyState === 'live');
  }

  close() {
    this.source.disconnect();
    this.node.disconnect();
    this.sink.disconnect();
    this.node.port.onmessage = null;
    for (const t of this.stream.getTracks()) t.stop();
  }
}
