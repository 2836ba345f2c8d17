/**
 * Microphone processor, run on the audio thread: converts each 128-sample block to 16 kHz PCM16
 * and posts 20 ms frames (transferred, not copied) with their level. The page decides whether a
 * frame goes to the socket; keeping that decision off the audio thread keeps this tiny.
 */
import type { MicFlushedMessage, MicFrameMessage } from './mic-protocol.js';
import { MIC_PROCESSOR } from './mic-protocol.js';
import { frameDbfs, MicEncoder } from './pcm.js';

class MicProcessor extends AudioWorkletProcessor {
  private readonly encoder = new MicEncoder(sampleRate);

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    this.port.onmessage = (ev: MessageEvent) => {
      // End of an utterance: push out what the resampler and framer still hold.
      if ((ev.data as { type?: string }).type === 'flush') {
        this.post(this.encoder.flush());
        const done: MicFlushedMessage = { type: 'flushed' };
        this.port.postMessage(done);
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel && channel.length) this.post(this.encoder.push(channel));
    return true;
  }

  private post(frames: Uint8Array[]) {
    for (const f of frames) {
      const msg: MicFrameMessage = { type: 'frame', pcm: f.buffer as ArrayBuffer, dbfs: frameDbfs(f) };
      this.port.postMessage(msg, [msg.pcm]);
    }
  }
}

registerProcessor(MIC_PROCESSOR, MicProcessor);
