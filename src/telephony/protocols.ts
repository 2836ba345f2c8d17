/**
 * The three providers' stream dialects (WIRE.md §4), each reduced to one vocabulary of inbound
 * events and three outbound messages (audio, mark, clear). Parsing is defensive: a message of the
 * wrong shape becomes null, never an exception.
 */
import { EXOTEL_PCM16, MULAW_20MS, type FramingRule } from './framing.js';

/** The audio of one stream, both ways: what `start` announced. */
export interface StreamFormat {
  encoding: 'mulaw' | 'pcm_s16le';
  sampleRate: 8000 | 16000;
}

/** 20 ms packets of 16-bit PCM at the stream's rate, padded with zeros. */
const pcm20ms = (rate: number): FramingRule => ({ unit: rate / 25, min: rate / 25, max: rate / 25, silence: 0 });

export type ProviderName = 'twilio' | 'exotel' | 'plivo';

export type InboundEvent =
  | { kind: 'connected' }
  | { kind: 'start'; streamId: string; callId: string; token: string | undefined; encoding: string; sampleRate: number }
  | { kind: 'media'; streamId: string | undefined; payload: string; track: string | undefined }
  | { kind: 'dtmf'; streamId: string | undefined; digit: string }
  | { kind: 'mark'; streamId: string | undefined; name: string }
  | { kind: 'cleared'; streamId: string | undefined }
  | { kind: 'stop'; streamId: string | undefined }
  | { kind: 'other'; event: string };

export interface StreamProtocol {
  readonly name: ProviderName;
  /** The format a `start` announces, or null when this adapter cannot take it. */
  format(encoding: string, sampleRate: number): StreamFormat | null;
  /** Packet sizes for audio we send back. */
  framing(format: StreamFormat): FramingRule;
  parse(msg: Record<string, unknown>): InboundEvent | null;
  media(streamId: string, audio: Buffer, format: StreamFormat): object;
  mark(streamId: string, name: string): object;
  clear(streamId: string): object;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);

function simple(kind: 'dtmf' | 'mark', streamId: string | undefined, value: string | undefined): InboundEvent | null {
  if (!value) return null;
  return kind === 'dtmf' ? { kind, streamId, digit: value } : { kind, streamId, name: value };
}

export const twilio: StreamProtocol = {
  name: 'twilio',
  format: (encoding, rate) => (encoding === 'audio/x-mulaw' && rate === 8000 ? { encoding: 'mulaw', sampleRate: 8000 } : null),
  framing: () => MULAW_20MS,
  parse(m) {
    const sid = str(m.streamSid);
    switch (m.event) {
      case 'connected':
        return { kind: 'connected' };
      case 'start': {
        const s = obj(m.start);
        const streamId = str(s?.streamSid) ?? sid;
        const format = obj(s?.mediaFormat);
        if (!s || !streamId) return null;
        return { kind: 'start', streamId, callId: str(s.callSid) ?? '', token: str(obj(s.customParameters)?.token), encoding: str(format?.encoding) ?? '', sampleRate: num(format?.sampleRate) };
      }
      case 'media': {
        const media = obj(m.media);
        const payload = media?.payload;
        return typeof payload === 'string' ? { kind: 'media', streamId: sid, payload, track: str(media?.track) } : null;
      }
      case 'dtmf':
        return simple('dtmf', sid, str(obj(m.dtmf)?.digit));
      case 'mark':
        return simple('mark', sid, str(obj(m.mark)?.name));
      case 'stop':
        return { kind: 'stop', streamId: sid };
      default:
        return typeof m.event === 'string' ? { kind: 'other', event: m.event } : null;
    }
  },
  media: (streamSid, audio) => ({ event: 'media', streamSid, media: { payload: audio.toString('base64') } }),
  mark: (streamSid, name) => ({ event: 'mark', streamSid, mark: { name } }),
  clear: (streamSid) => ({ event: 'clear', streamSid }),
};

/** Exotel's docs spell ids `stream_sid`, some of its clients `streamSid`: accept both, send both. */
export const exotel: StreamProtocol = {
  name: 'exotel',
  // Always 16-bit PCM; the rate is the stream URL's `sample-rate` (8000 by default).
  format: (encoding, rate) =>
    ['', 'raw', 'audio/x-raw', 'audio/l16', 'audio/x-l16'].includes(encoding.toLowerCase()) && (rate === 8000 || rate === 16000) ? { encoding: 'pcm_s16le', sampleRate: rate } : null,
  framing: () => EXOTEL_PCM16,
  parse(m) {
    const sid = str(m.stream_sid) ?? str(m.streamSid);
    switch (m.event) {
      case 'connected':
        return { kind: 'connected' };
      case 'start': {
        const s = obj(m.start);
        const streamId = str(s?.stream_sid) ?? str(s?.streamSid) ?? sid;
        const format = obj(s?.media_format) ?? obj(s?.mediaFormat);
        const params = obj(s?.custom_parameters) ?? obj(s?.customParameters);
        if (!s || !streamId) return null;
        // The default (no media_format at all) is 8 kHz PCM16.
        const rate = format ? num(format.sample_rate ?? format.sampleRate) : 8000;
        return { kind: 'start', streamId, callId: str(s.call_sid) ?? str(s.callSid) ?? '', token: str(params?.token), encoding: str(format?.encoding) ?? '', sampleRate: rate };
      }
      case 'media': {
        const payload = obj(m.media)?.payload;
        return typeof payload === 'string' ? { kind: 'media', streamId: sid, payload, track: undefined } : null;
      }
      case 'dtmf':
        return simple('dtmf', sid, str(obj(m.dtmf)?.digit) ?? str(m.digit));
      case 'mark':
        return simple('mark', sid, str(obj(m.mark)?.name));
      case 'clear':
        return { kind: 'cleared', streamId: sid };
      case 'stop':
        return { kind: 'stop', streamId: sid };
      default:
        return typeof m.event === 'string' ? { kind: 'other', event: m.event } : null;
    }
  },
  media: (sid, audio) => ({ event: 'media', stream_sid: sid, streamSid: sid, media: { payload: audio.toString('base64') } }),
  mark: (sid, name) => ({ event: 'mark', stream_sid: sid, streamSid: sid, mark: { name } }),
  clear: (sid) => ({ event: 'clear', stream_sid: sid, streamSid: sid }),
};

/** Plivo's `extra_headers`: "k=v;k2=v2" (the XML attribute itself is comma-separated). */
export function parseExtraHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof raw !== 'string') return out;
  for (const part of raw.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export const plivo: StreamProtocol = {
  name: 'plivo',
  format(encoding, rate) {
    if (encoding === 'audio/x-mulaw' && rate === 8000) return { encoding: 'mulaw', sampleRate: 8000 };
    if (encoding === 'audio/x-l16' && (rate === 8000 || rate === 16000)) return { encoding: 'pcm_s16le', sampleRate: rate };
    return null;
  },
  framing: (f) => (f.encoding === 'mulaw' ? MULAW_20MS : pcm20ms(f.sampleRate)),
  parse(m) {
    const sid = str(m.streamId);
    switch (m.event) {
      case 'start': {
        const s = obj(m.start);
        const streamId = str(s?.streamId) ?? sid;
        const format = obj(s?.mediaFormat);
        if (!s || !streamId) return null;
        const headers = parseExtraHeaders(m.extra_headers ?? s.extra_headers);
        return { kind: 'start', streamId, callId: str(s.callId) ?? '', token: headers.token, encoding: str(format?.encoding) ?? '', sampleRate: num(format?.sampleRate) };
      }
      case 'media': {
        const media = obj(m.media);
        const payload = media?.payload;
        return typeof payload === 'string' ? { kind: 'media', streamId: sid, payload, track: str(media?.track) } : null;
      }
      case 'dtmf':
        return simple('dtmf', sid, str(obj(m.dtmf)?.digit) ?? str(m.digit));
      case 'playedStream':
        return simple('mark', sid, str(m.name));
      case 'clearedAudio':
        return { kind: 'cleared', streamId: sid };
      case 'stop':
        return { kind: 'stop', streamId: sid };
      default:
        return typeof m.event === 'string' ? { kind: 'other', event: m.event } : null;
    }
  },
  media: (_streamId, audio, f) => ({
    event: 'playAudio',
    media: { contentType: f.encoding === 'mulaw' ? 'audio/x-mulaw' : 'audio/x-l16', sampleRate: f.sampleRate, payload: audio.toString('base64') },
  }),
  mark: (streamId, name) => ({ event: 'checkpoint', streamId, name }),
  clear: (streamId) => ({ event: 'clearAudio', streamId }),
};

export const PROTOCOLS: Record<ProviderName, StreamProtocol> = { twilio, exotel, plivo };
