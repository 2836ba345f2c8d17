/**
 * A single-consumer async queue: producers push synchronously, one `for await` drains it.
 * The streams' AsyncIterable side is built on this.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  /** No more items; the consumer finishes after draining what is queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: undefined, done: true });
    }
  }

  /** Ends and drops anything not yet consumed (cancellation). */
  clear(): void {
    this.items.length = 0;
    this.end();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        if (this.waiter) return Promise.reject(new Error('EventQueue supports one consumer'));
        return new Promise((resolve) => (this.waiter = resolve));
      },
      return: () => {
        this.clear();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
