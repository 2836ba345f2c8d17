declare module '@fastify/rate-limit/store/LocalStore.js' {
  interface Counter {
    current: number;
    ttl: number;
  }
  class LocalStore {
    constructor(continueExceeding?: boolean, exponentialBackoff?: boolean, cache?: number);
    incr(key: string, cb: (err: Error | null, res: Counter) => void, timeWindow: number, max: number): void;
  }
  export default LocalStore;
}
