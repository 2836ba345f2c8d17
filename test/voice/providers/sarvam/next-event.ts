/** Reads a stream's events until one matches, failing the test if none does in time. */
export async function readUntil<E extends { type: string }>(
  it: AsyncIterator<E>,
  done: (e: E) => boolean,
  timeoutMs = 5000,
): Promise<E[]> {
  const seen: E[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      it.next(),
      new Promise<'timeout'>((res) => {
        timer = setTimeout(() => res('timeout'), Math.max(0, left));
      }),
    ]);
    clearTimeout(timer);
    if (r === 'timeout') throw new Error(`no matching event; saw ${seen.map((e) => e.type).join(', ') || 'nothing'}`);
    if (r.done) throw new Error(`stream ended; saw ${seen.map((e) => e.type).join(', ') || 'nothing'}`);
    seen.push(r.value);
    if (done(r.value)) return seen;
  }
}
