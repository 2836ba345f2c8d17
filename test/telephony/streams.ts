/**
 * Scripted provider peers: what Twilio, Exotel and Plivo send over their media-stream sockets
 * (message shapes from their docs, WIRE.md §4), and a recorder of what we send back.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { mulawEncode } from '../../src/voice/audio/mulaw.js';
import { int16ToBytes } from '../../src/voice/audio/pcm16.js';
import { resampleAll } from '../../src/voice/audio/resampler.js';
import { plivoSignatureV3, twilioSignature } from '../../src/telephony/signatures.js';
import { fixturePcm } from '../voice/audio/fixtures.js';
import { PUBLIC_URL, SECRETS } from './harness.js';

export type Provider = 'twilio' | 'exotel' | 'plivo';

/** What a stream carries: Twilio μ-law 8 kHz; Exotel and Plivo as we ask them (16 kHz PCM by default). */
export interface PeerFormat {
  encoding: 'mulaw' | 'pcm';
  rate: 8000 | 16000;
}

export const DEFAULT_FORMAT: Record<Provider, PeerFormat> = {
  twilio: { encoding: 'mulaw', rate: 8000 },
  exotel: { encoding: 'pcm', rate: 16000 },
  plivo: { encoding: 'pcm', rate: 16000 },
};

/** A fixture utterance in the stream's codec and rate, followed by `silenceMs` of silence. */
export async function utterance(file: string, format: PeerFormat, silenceMs = 1200): Promise<Buffer> {
  const pcm = await resampleAll(fixturePcm(file), 16000, format.rate);
  const withSilence = new Int16Array(pcm.length + (silenceMs * format.rate) / 1000);
  withSilence.set(pcm);
  return encode(withSilence, format);
}

function encode(pcm: Int16Array, format: PeerFormat): Buffer {
  if (format.encoding === 'pcm') return int16ToBytes(pcm);
  const m = mulawEncode(pcm);
  return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
}

export interface Peer {
  ws: WebSocket;
  provider: Provider;
  format: PeerFormat;
  streamId: string;
  /** Every JSON message we received, in order. */
  received: Array<Record<string, any>>;
  closed: Promise<{ code: number; reason: string }>;
  send(msg: object): void;
  start(token: string | undefined): void;
  /** Audio in the provider's packet size (Twilio/Plivo 20 ms, Exotel 100 ms). */
  sendAudio(audio: Buffer): void;
  dtmf(digit: string): void;
  /** Echo of a mark we sent (Twilio/Exotel `mark`, Plivo `playedStream`). */
  played(name: string): void;
  stop(): void;
  waitFor(pred: (m: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  media(): Buffer[];
  marks(): string[];
  clears(): number;
}

function upgradeHeaders(provider: Provider, path: string): Record<string, string> {
  const wssUrl = PUBLIC_URL.replace(/^https/, 'wss') + path;
  if (provider === 'twilio') return { 'x-twilio-signature': twilioSignature(SECRETS.TWILIO_AUTH_TOKEN, wssUrl, {}) };
  if (provider === 'plivo') {
    const nonce = String(Date.now()) + '42';
    return { 'x-plivo-signature-v3': plivoSignatureV3(SECRETS.PLIVO_AUTH_TOKEN, 'GET', wssUrl, {}, nonce), 'x-plivo-signature-v3-nonce': nonce };
  }
  return { authorization: `Basic ${Buffer.from(`${SECRETS.EXOTEL_STREAM_USER}:${SECRETS.EXOTEL_STREAM_PASSWORD}`).toString('base64')}` };
}

export async function connect(port: number, provider: Provider, o: { headers?: Record<string, string>; query?: string; format?: PeerFormat } = {}): Promise<Peer> {
  const format = o.format ?? DEFAULT_FORMAT[provider];
  const path = `/api/telephony/${provider}${o.query ?? ''}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: o.headers ?? upgradeHeaders(provider, path) });
  const received: Array<Record<string, any>> = [];
  const waiters: Array<{ pred: (m: Record<string, any>) => boolean; resolve: (m: Record<string, any>) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as Record<string, any>;
    received.push(m);
    for (const w of [...waiters]) if (w.pred(m)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(m));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
    ws.once('error', reject);
  });
  const streamId = provider === 'plivo' ? randomUUID() : `MZ${randomUUID().replace(/-/g, '')}`;
  const callId = provider === 'plivo' ? randomUUID() : `CA${randomUUID().replace(/-/g, '')}`;
  let seq = 0;
  let chunk = 0;
  const send = (msg: object) => ws.send(JSON.stringify(msg));
  const sid = (): Record<string, string> => (provider === 'twilio' ? { streamSid: streamId } : provider === 'exotel' ? { stream_sid: streamId } : { streamId });
  const peer: Peer = {
    ws,
    provider,
    format,
    streamId,
    received,
    closed,
    send,
    start(token) {
      if (provider === 'twilio') {
        send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
        send({
          event: 'start',
          sequenceNumber: String(++seq),
          start: { accountSid: SECRETS.TWILIO_ACCOUNT_SID, streamSid: streamId, callSid: callId, tracks: ['inbound'], customParameters: token ? { token } : {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
          streamSid: streamId,
        });
      } else if (provider === 'exotel') {
        send({ event: 'connected' });
        send({
          event: 'start',
          sequence_number: String(++seq),
          stream_sid: streamId,
          start: { stream_sid: streamId, call_sid: callId, account_sid: 'exotel-account', from: '09876543210', to: '08047491899', custom_parameters: token ? { token } : {}, media_format: { encoding: 'audio/x-raw', sample_rate: String(format.rate), bit_rate: '16' } },
        });
      } else {
        send({
          event: 'start',
          sequenceNumber: ++seq,
          start: { callId, streamId, accountId: SECRETS.PLIVO_AUTH_ID, tracks: ['inbound'], mediaFormat: { encoding: format.encoding === 'mulaw' ? 'audio/x-mulaw' : 'audio/x-l16', sampleRate: format.rate } },
          extra_headers: token ? `token=${token}` : '',
        });
      }
    },
    sendAudio(audio) {
      // Twilio and Plivo send 20 ms per message, Exotel about 100 ms.
      const ms = provider === 'exotel' ? 100 : 20;
      const size = (ms * format.rate * (format.encoding === 'pcm' ? 2 : 1)) / 1000;
      for (let o = 0; o < audio.length; o += size) {
        const payload = audio.subarray(o, o + size).toString('base64');
        chunk++;
        if (provider === 'twilio') send({ event: 'media', sequenceNumber: String(++seq), media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload }, streamSid: streamId });
        else if (provider === 'exotel') send({ event: 'media', sequence_number: String(++seq), stream_sid: streamId, media: { chunk: String(chunk), timestamp: String(chunk * 100), payload } });
        else send({ event: 'media', sequenceNumber: ++seq, streamId, media: { track: 'inbound', timestamp: String(Date.now()), chunk, payload } });
      }
    },
    dtmf(digit) {
      if (provider === 'twilio') send({ event: 'dtmf', streamSid: streamId, sequenceNumber: String(++seq), dtmf: { track: 'inbound_track', digit } });
      else if (provider === 'exotel') send({ event: 'dtmf', sequence_number: String(++seq), stream_sid: streamId, dtmf: { digit, duration: '100' } });
      else send({ event: 'dtmf', streamId, sequenceNumber: ++seq, dtmf: { digit, track: 'inbound' } });
    },
    played(name) {
      if (provider === 'plivo') send({ event: 'playedStream', streamId, name });
      else send({ event: 'mark', ...sid(), ...(provider === 'twilio' ? { sequenceNumber: String(++seq) } : { sequence_number: String(++seq) }), mark: { name } });
    },
    stop() {
      if (provider === 'twilio') send({ event: 'stop', sequenceNumber: String(++seq), streamSid: streamId, stop: { accountSid: SECRETS.TWILIO_ACCOUNT_SID, callSid: callId } });
      else send({ event: 'stop', ...sid(), ...(provider === 'exotel' ? { sequence_number: String(++seq), stop: { call_sid: callId, reason: 'callended' } } : {}) });
    },
    waitFor(pred, timeoutMs = 20_000) {
      const hit = received.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (m: Record<string, any>) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching message from the server (got ${received.map((m) => m.event).join(',')})`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    media: () => received.filter((m) => m.event === (provider === 'plivo' ? 'playAudio' : 'media')).map((m) => Buffer.from(m.media.payload, 'base64')),
    marks: () => received.filter((m) => m.event === (provider === 'plivo' ? 'checkpoint' : 'mark')).map((m) => (provider === 'plivo' ? m.name : m.mark.name)),
    clears: () => received.filter((m) => m.event === (provider === 'plivo' ? 'clearAudio' : 'clear')).length,
  };
  return peer;
}

/** Whether a message is one of our marks (Twilio/Exotel `mark`, Plivo `checkpoint`). */
export const isMark = (provider: Provider, pred: (name: string) => boolean = () => true) => (m: Record<string, any>) =>
  provider === 'plivo' ? m.event === 'checkpoint' && pred(m.name) : m.event === 'mark' && pred(m.mark?.name);
