/**
 * Small promise helpers, one copy each, for the voice pipeline, its providers, the assistant graph
 * and the clients: what an abort or a timeout rejects with, and which rejections count as
 * handled, is decided here once.
 */

/** `p`, or the signal's reason as soon as it aborts (at once if it already has). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** `p`, or a timeout error `ms` after `from` settles (at once without `from`). */
export function withTimeout<T>(p: Promise<T>, ms: number, from: Promise<unknown> = Promise.resolve()): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  return Promise.race([
    p.finally(() => {
      settled = true;
      clearTimeout(timer);
    }),
    from.then(
      () =>
        new Promise<T>((_, reject) => {
          if (!settled) timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
        }),
    ),
  ]);
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

/** A promise settled from outside. Settling it again does nothing. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Given up before anyone waits on it: never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Resolves after `ms`; rejects with the signal's reason if it aborts first (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
