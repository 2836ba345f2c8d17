/**
 * The load side of bench/telephony.ts, in its own process: N simulated Twilio calls, each
 * `connected` + `start` with its call token, then one 160-byte μ-law frame every 20 ms of wall
 * time (a shared ticker catches up on its schedule, so pacing does not drift), marks echoed back
 * as Twilio does, and `stop` at the end. Reads {url, signature, tokens, seconds} as JSON on stdin
 * and prints {sent, received, lateP99Ms} as JSON.
 */
import WebSocket from 'ws';

interface Job {
  url: string;
  signature: string;
  tokens: string[];
  /** Streaming time once every call is up. */
  seconds: number;
  rampSeconds: number;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input) as Job;

// Low-level noise: the VAD and the resampler see real samples, never a speech onset.
const frame = Buffer.alloc(160);
for (let i = 0; i < 160; i++) frame[i] = 0xff - (i % 3);
const payload = frame.toString('base64');

interface Call {
  ws: WebSocket;
  sid: string;
  frames: number;
  t0: number;
  open: boolean;
}
const calls: Call[] = [];
let received = 0;
const late: number[] = [];

function open(token: string, i: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(job.url, { headers: { 'x-twilio-signature': job.signature } });
    const call: Call = { ws, sid: `MZbench${i}`, frames: 0, t0: 0, open: false };
    ws.on('message', (data) => {
      received++;
      const m = JSON.parse(String(data)) as { event: string; mark?: { name: string } };
      if (m.event === 'mark') ws.send(JSON.stringify({ event: 'mark', streamSid: call.sid, mark: m.mark }));
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
      ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', start: { accountSid: 'ACbench', streamSid: call.sid, callSid: `CAbench${i}`, tracks: ['inbound'], customParameters: { token }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } }, streamSid: call.sid }));
      // The call's audio clock starts at its own start, as on a real line.
      call.t0 = performance.now();
      call.open = true;
      calls.push(call);
      resolve();
    });
    ws.once('error', reject);
  });
}

// Calls arrive over `rampSeconds` (as they would: not all in one instant), then all stream together.
const start = performance.now();
const end = start + (job.rampSeconds + job.seconds) * 1000;
const opening = job.tokens.map((token, i) => new Promise<void>((r) => setTimeout(r, (i * job.rampSeconds * 1000) / job.tokens.length)).then(() => open(token, i)));
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const now = performance.now();
    for (const c of calls) {
      // Every frame due by now is sent; how late each went out is the load generator's own jitter.
      while (c.open && c.t0 + c.frames * 20 <= now) {
        late.push(now - (c.t0 + c.frames * 20));
        c.frames++;
        // Twilio's exact message, assembled without JSON.stringify: the load generator must stay cheap.
        c.ws.send(`{"event":"media","sequenceNumber":"${c.frames + 1}","media":{"track":"inbound","chunk":"${c.frames}","timestamp":"${c.frames * 20}","payload":"${payload}"},"streamSid":"${c.sid}"}`);
      }
    }
    if (now >= end) {
      clearInterval(tick);
      resolve();
    }
  }, 5);
});
await Promise.all(opening);
for (const c of calls) c.ws.send(JSON.stringify({ event: 'stop', sequenceNumber: '0', streamSid: c.sid, stop: { accountSid: 'ACbench', callSid: 'CAbench' } }));
await new Promise((r) => setTimeout(r, 500));
for (const c of calls) c.ws.close();
late.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ sent: calls.reduce((n, c) => n + c.frames, 0), received, lateP99Ms: late[Math.floor(late.length * 0.99)] ?? 0 }));
