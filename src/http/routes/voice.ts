/**
 * Voice over HTTP: the streaming WebSocket (WIRE.md §1), and one-shot transcribe/synthesize.
 * The socket is authenticated in onRequest (bearer, device key or the bearer.<jwt> subprotocol)
 * before the upgrade, by the scope this plugin is registered in.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { HealthService } from '../../health/service.js';
import { PIPELINE_RATE } from '../../voice/audio/format.js';
import { OpusDecoder, detectOpusContainer } from '../../voice/audio/opus.js';
import { bytesToInt16 } from '../../voice/audio/pcm16.js';
import { resampleAll } from '../../voice/audio/resampler.js';
import { readWav, writeWav } from '../../voice/audio/wav.js';
import type { AssistantPort } from '../../../graphs/assistant/port.js';
import { CLOSE, LANGUAGE } from '../../voice/protocol.js';
import type { SttProvider, TtsProvider } from '../../voice/providers/types.js';
import type { VoiceSessions } from '../../voice/registry.js';
import { VoiceSession, type VoiceSessionOptions } from '../../voice/session.js';
import type { ReminderDelivery } from '../../reminders/delivery.js';
import { userOf } from '../plugins/auth.js';
import { errorResponses } from '../schemas.js';
import { speakingLocale } from '../../../prompts/lang.js';

export interface VoiceRouteOptions {
  service: HealthService;
  assistant: AssistantPort;
  stt: SttProvider;
  tts: TtsProvider;
  sessions: VoiceSessions;
  delivery: ReminderDelivery;
  defaultLanguage: string;
  idleTimeoutMs: number;
  heartbeatMs: number;
  session?: Partial<VoiceSessionOptions>;
}

const MAX_AUDIO_BYTES = 10 * 1024 * 1024;
const MAX_TRANSCRIBE_SECONDS = 30;

async function decodeAudio(body: Buffer, contentType: string, sampleRate: number): Promise<Int16Array> {
  if (body.length === 0) throw new AppError('VALIDATION_ERROR', 'Audio body is empty', { body: 'must contain audio' });
  if (contentType.includes('wav') || body.subarray(0, 4).toString('latin1') === 'RIFF') {
    let wav;
    try {
      wav = readWav(body);
    } catch {
      throw new AppError('VALIDATION_ERROR', 'Not a readable WAV file', { body: 'must be 16-bit PCM WAV' });
    }
    return resampleAll(wav.pcm, wav.sampleRate, PIPELINE_RATE);
  }
  if (contentType.includes('ogg') || contentType.includes('webm') || detectOpusContainer(body)) {
    const parts: Int16Array[] = [];
    let failed: Error | undefined;
    const dec = new OpusDecoder((pcm) => parts.push(pcm), (err) => (failed = err), PIPELINE_RATE);
    dec.push(body);
    await dec.end();
    dec.destroy();
    if (failed) throw new AppError('VALIDATION_ERROR', 'Not a readable Ogg/WebM Opus stream', { body: 'must be Opus audio' });
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Int16Array(total);
    let o = 0;
    for (const p of parts) (out.set(p, o), (o += p.length));
    return out;
  }
  if (body.length % 2 !== 0) throw new AppError('VALIDATION_ERROR', 'Raw PCM must be 16-bit samples', { body: 'odd byte count' });
  return resampleAll(bytesToInt16(body), sampleRate, PIPELINE_RATE);
}

export const voiceRoutes: FastifyPluginAsyncZod<VoiceRouteOptions> = async (app, opts) => {
  for (const type of ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/ogg', 'audio/webm', 'audio/l16', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_AUDIO_BYTES }, (_req, body, done) => done(null, body));
  }

  app.post('/voice/transcribe', {
    bodyLimit: MAX_AUDIO_BYTES,
    schema: {
      tags: ['voice'],
      summary: 'Audio (WAV, Ogg/WebM Opus, or raw PCM16 LE) → text',
      querystring: z.strictObject({ language: LANGUAGE.default('en-IN'), sample_rate: z.coerce.number().int().refine((r) => [8000, 16000, 24000, 48000].includes(r), 'must be 8000, 16000, 24000 or 48000').default(16000) }),
      response: { 200: z.object({ text: z.string(), language: z.string() }), ...errorResponses },
    },
  }, async (req) => {
    if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send audio as audio/wav, audio/ogg, audio/webm or application/octet-stream');
    const pcm = await decodeAudio(req.body, String(req.headers['content-type'] ?? ''), req.query.sample_rate);
    if (pcm.length > MAX_TRANSCRIBE_SECONDS * PIPELINE_RATE) throw new AppError('VALIDATION_ERROR', 'Audio is too long', { body: `must be at most ${MAX_TRANSCRIBE_SECONDS} seconds` });
    return opts.stt.transcribe(pcm, req.query.language);
  });

  app.post('/voice/synthesize', {
    schema: {
      tags: ['voice'],
      summary: 'Text → speech as audio/wav',
      body: z.strictObject({ text: z.string().trim().min(1).max(2500), language: LANGUAGE.default('en-IN'), sample_rate: z.union([z.literal(8000), z.literal(16000), z.literal(24000), z.literal(48000)]).default(16000) }),
      response: { 200: z.any().describe('audio/wav'), ...errorResponses },
    },
  }, async (req, reply) => {
    const lang = speakingLocale(req.body.language);
    const audio = await opts.tts.synthesize(req.body.text, lang, { sampleRate: req.body.sample_rate });
    const pcm = audio.sampleRate === req.body.sample_rate ? audio.pcm : await resampleAll(audio.pcm, audio.sampleRate, req.body.sample_rate);
    return reply.type('audio/wav').send(writeWav(pcm, req.body.sample_rate));
  });

  app.get('/voice/ws', { websocket: true, schema: { tags: ['voice'], summary: 'Streaming voice session (WIRE.md §1)' } }, async (socket: WebSocket, req) => {
    const user = userOf(req);
    const health = opts.service.forUser(user.id);
    let alive = true;
    // Idle detection measures real elapsed time on this socket, not the service's clock.
    let lastActivity = Date.now();
    const session = new VoiceSession({
      userId: user.id,
      stt: opts.stt,
      tts: opts.tts,
      assistant: opts.assistant,
      language: 'en-IN',
      log: req.log,
      options: opts.session,
      transport: {
        sendJson: (m) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(m)),
        sendAudio: (b) => socket.readyState === socket.OPEN && socket.send(b, { binary: true }),
        bufferedAmount: () => socket.bufferedAmount,
        close: (code, reason) => socket.close(code, reason),
      },
      onClose: (s) => opts.sessions.remove(s),
    });
    // Which credential opened it, so revoking that credential hangs this session up.
    opts.sessions.add(session, user.via === 'device' && user.deviceId ? { via: 'device', deviceId: user.deviceId } : { via: 'bearer' });

    socket.on('message', (data, isBinary) => {
      lastActivity = Date.now();
      // ws hands us Buffers (binaryType nodebuffer): no copy on the per-frame path.
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) session.handleBinary(buf);
      else void session.handleText(buf.toString('utf8')).catch((err) => req.log.error({ err, sessionId: session.id }, 'voice message failed'));
    });
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return socket.terminate();
      if (Date.now() - lastActivity > opts.idleTimeoutMs) return socket.close(CLOSE.normal, 'idle');
      alive = false;
      socket.ping();
    }, opts.heartbeatMs);
    socket.on('close', (code) => {
      clearInterval(heartbeat);
      session.close();
      req.log.info({ sessionId: session.id, code }, 'voice session closed');
    });
    socket.on('error', (err) => req.log.warn({ err, sessionId: session.id }, 'voice socket error'));
    req.log.info({ sessionId: session.id, userId: user.id }, 'voice session opened');

    // The profile's language, then anything the user missed while no device was connected.
    try {
      const { locale } = await health.preferences();
      if (locale) session.setDefaultLanguage(locale);
      await opts.delivery.replayUnheard(user.id, (r) => session.deliverReminder(r));
    } catch (err) {
      req.log.warn({ err, sessionId: session.id }, 'could not load voice session context');
    }
  });
};
