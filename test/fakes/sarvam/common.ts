/** Small pieces the fake's REST and WebSocket handlers share. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { tonePcm } from './audio.js';

/** Sarvam's request id format: date_UUID4. */
export function requestId(): string {
  const d = new Date();
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${ymd}_${randomUUID()}`;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'invalid_api_key_error',
  404: 'not_found_error',
  422: 'unprocessable_entity_error',
  429: 'rate_limit_exceeded_error',
  500: 'internal_server_error',
  502: 'internal_server_error',
  503: 'internal_server_error',
};

export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_server_error' : 'invalid_request_error');
}

/** Sarvam's REST error envelope. */
export function errorBody(status: number, message: string, code = codeForStatus(status)) {
  return { error: { message, code, request_id: requestId() } };
}

export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = codeForStatus(status),
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Splits text the way the fake "synthesises" it: one unit per sentence (Latin and Indic stops). */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?।॥])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Audio standing in for speech: a tone whose length grows with the text and shrinks with pace. */
export function speechPcm(text: string, sampleRate: number, pace: number, msPerChar: number, hz: number): Buffer {
  const ms = Math.max(200, (Array.from(text).length * msPerChar) / pace);
  return tonePcm(ms, sampleRate, hz);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
