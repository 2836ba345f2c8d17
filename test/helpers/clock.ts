/**
 * The suite's clock. Apps built by the test helpers run on it unless a test passes its own, so no
 * test depends on the host's date (CI also runs the suite under libfaketime to prove it).
 */

/** Where test clocks start: a fixed instant, before every date the fixtures use. */
export const TEST_EPOCH = Date.parse('2026-03-01T00:00:00Z');

/**
 * A clock that starts at `start` and then moves with real elapsed time (monotonic, so a change of
 * the host's clock does not move it), keeping write order visible to tests that read it back.
 */
export function tickingClock(start = TEST_EPOCH): () => number {
  const started = performance.now();
  return () => start + Math.floor(performance.now() - started);
}
