import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTestApp, registerUser, tempDir } from './helpers/app.js';

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15_000);
    child.stdout!.on('data', () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  listening.catch(() => undefined);
  return { child, listening, output: () => out, errors: () => err };
}

const exitOf = (child: ChildProcess) => once(child, 'exit').then(([code]) => code as number | null);

describe('server process', () => {
  it('stops start-up with one line naming a bad variable', async () => {
    const s = startServer({ PODD_DATA_DIR: tempDir(), PORT: 'not-a-port' });
    const code = await exitOf(s.child);
    expect(code).toBe(1);
    expect(s.errors().trim().split('\n')).toHaveLength(1);
    expect(s.errors()).toContain('PORT');
  });

  it('on SIGTERM finishes an in-flight request, then exits cleanly', async () => {
    // A slow argon2 makes the registration the in-flight request.
    const s = startServer({ PODD_DATA_DIR: tempDir(), ARGON2_TIME_COST: '10', ARGON2_MEMORY_KIB: '65536' });
    const base = await s.listening;
    const inflight = fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'shutdown@example.com', password: 'long enough pw', name: 'S' }),
    });
    // SIGTERM once the server has the request (it logs each incoming request), not after a guess
    // at how long that takes on a busy machine.
    const received = () => s.output().split('\n').some((l) => l.includes('"incoming request"') && l.includes('/api/auth/register'));
    for (let i = 0; i < 500 && !received(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(received()).toBe(true);
    s.child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).toBe(201);
    expect(await exitOf(s.child)).toBe(0);
    expect(s.output()).toContain('shutting down');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe('auth hook on WebSocket upgrades', () => {
  it('refuses an upgrade without valid credentials with 401 before it starts, and accepts bearer and the subprotocol', async () => {
    const t = await makeTestApp({
      beforeReady: (app) =>
        app.register(async (api) => {
          api.addHook('onRequest', api.authenticate);
          api.get('/test/ws', { websocket: true }, (socket, req) => socket.send(JSON.stringify({ user: req.user?.id })));
        }),
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = address.replace('http', 'ws') + '/test/ws';
    const statusOf = (ws: WebSocket) =>
      new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    expect(await statusOf(new WebSocket(url))).toBe(401);
    expect(await statusOf(new WebSocket(url, { headers: { authorization: 'Bearer nope' } }))).toBe(401);

    const u = await registerUser(t.app);
    const viaHeader = new WebSocket(url, { headers: u.auth });
    const [msg] = await once(viaHeader, 'message');
    expect(JSON.parse(String(msg)).user).toBe(u.user.id);
    viaHeader.close();

    const viaProtocol = new WebSocket(url, ['podd.v1', `bearer.${u.access_token}`]);
    const [msg2] = await once(viaProtocol, 'message');
    expect(JSON.parse(String(msg2)).user).toBe(u.user.id);
    expect(viaProtocol.protocol).toBe('podd.v1');
    viaProtocol.close();
    await t.close();
  });
});
