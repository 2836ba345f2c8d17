/** Messages between the microphone worklet and the page; shared so both sides agree. */
export const MIC_PROCESSOR = 'podd-mic';

/** Worklet → page: one 20 ms frame of 16 kHz PCM16 LE and its level. */
export interface MicFrameMessage {
  type: 'frame';
  pcm: ArrayBuffer;
  dbfs: number;
}

/** Worklet → page: every frame held at a `flush` request has been posted. */
export interface MicFlushedMessage {
  type: 'flushed';
}

/** Page → worklet. */
export interface MicFlushRequest {
  type: 'flush';
}
