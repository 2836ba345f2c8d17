/**
 * Shared by bench/voice.ts and its two child processes (the server and the clients): a tiny
 * request/response over the fork IPC channel, and a clock both processes read alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// process.hrtime is CLOCK_MONOTONIC, one clock for the whole machine, so a time taken in the
// client process can be compared with one taken in the server process. performance.now() reads
// the same clock from its own origin; the offset is fixed once so each read stays cheap.
const OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Milliseconds on the machine-wide monotonic clock. */
export const monoMs = (): number => performance.now() + OFFSET_MS;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Parent side of a child process started from a bench/_voice-*.ts script. */
export class BenchChild {
  readonly proc: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** The child's first message (what it announces once it is ready). */
  readonly hello: Promise<Record<string, unknown>>;

  /** `execArgv` e.g. ['--import', 'tsx'] for a TypeScript script. */
  constructor(script: string, env: Record<string, string> = {}, execArgv: string[] = []) {
    this.proc = fork(script, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let gotHello: (v: Record<string, unknown>) => void;
    let failed: (e: Error) => void;
    this.hello = new Promise((resolve, reject) => ((gotHello = resolve), (failed = reject)));
    this.proc.on('message', (m: Reply | { hello: Record<string, unknown> }) => {
      if ('hello' in m) return gotHello(m.hello);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    this.proc.on('exit', (code) => {
      const err = new Error(`${script} exited (${code})`);
      failed(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs = 180_000): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${cmd} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to finish, and kills it if it has not within a few seconds. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.call('exit', {}, 5_000).catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Child side: answers the parent's requests; the child exits when the parent goes away. */
export function serveParent(hello: Record<string, unknown>, handlers: Record<string, (args: any) => unknown>, onExit: () => Promise<void> | void): void {
  const exit = async () => {
    try {
      await onExit();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void exit());
  process.on('message', async (m: Request) => {
    if (m.cmd === 'exit') {
      process.send!({ id: m.id, ok: true, result: null } satisfies Reply);
      return void exit();
    }
    try {
      const handler = handlers[m.cmd];
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      const result = await handler(m.args);
      process.send!({ id: m.id, ok: true, result: result ?? null } satisfies Reply);
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies Reply);
    }
  });
  process.send!({ hello });
}
