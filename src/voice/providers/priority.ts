/**
 * CPU priority of the speech processes we start. On a small box the event loop, decoders and
 * synthesizers share two cores; the loop is the one thing every session waits on (a turn's graph,
 * framing, VAD, sending audio), while a decoder has slack (it only has to keep up with real time
 * on average) and a synthesizer runs ~50× faster than speech. Lower priority (higher niceness)
 * for the children means a loop that wakes up gets a core at once instead of queueing behind
 * them; when the loop is idle they still get every free cycle.
 */
import { setPriority } from 'node:os';

/** Live decoders: the most slack. */
export const DECODER_NICENESS = 10;
/** Synthesizers: between the loop and the decoders, since the first audio waits on them. */
export const SYNTHESIZER_NICENESS = 5;

/** Lowers a started process's priority; a failure (already exited, no permission) changes nothing. */
export function deprioritize(pid: number | undefined, niceness: number): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, niceness);
  } catch {
    // It ran at normal priority; nothing else depends on this.
  }
}
