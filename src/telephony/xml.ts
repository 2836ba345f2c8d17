/**
 * The few XML documents the call webhooks answer with (TwiML for Twilio, Plivo XML). Built by
 * hand: every attribute and text value goes through one escape function.
 */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

const attrs = (a: Record<string, string | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

/** Connects the call to our bidirectional stream, the call token travelling as a `<Parameter>`. */
export function twimlConnectStream(streamUrl: string, parameters: Record<string, string>): string {
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter${attrs({ name, value })}/>`)
    .join('');
  return doc(`<Connect><Stream${attrs({ url: streamUrl })}>${params}</Stream></Connect>`);
}

/** A short spoken message, then the call ends. */
export function twimlSayHangup(text: string, language: string): string {
  return doc(`<Say${attrs({ language })}>${escapeXml(text)}</Say><Hangup/>`);
}

/** A message spoken twice with a pause between (whoever answers may miss the start), then the call ends. */
export function twimlSayTwice(text: string, language: string): string {
  const once = `<Say${attrs({ language })}>${escapeXml(text)}</Say>`;
  return doc(`${once}<Pause length="1"/>${once}<Hangup/>`);
}

/**
 * Plivo's bidirectional stream. `extraHeaders` reach the socket as the start event's
 * `extra_headers`; Plivo allows only letters and digits in them, which our tokens are.
 */
export function plivoStreamXml(streamUrl: string, extraHeaders: Record<string, string>, contentType = 'audio/x-mulaw;rate=8000'): string {
  for (const [k, v] of Object.entries(extraHeaders)) {
    if (!/^[A-Za-z0-9]+$/.test(k) || !/^[A-Za-z0-9]+$/.test(v)) throw new Error('Plivo extraHeaders take letters and digits only');
  }
  const extra = Object.entries(extraHeaders).map(([k, v]) => `${k}=${v}`).join(',');
  return doc(
    `<Stream${attrs({ bidirectional: 'true', keepCallAlive: 'true', audioTrack: 'inbound', contentType, extraHeaders: extra })}>${escapeXml(streamUrl)}</Stream>`,
  );
}

export function plivoSpeakHangup(text: string, language: string): string {
  return doc(`<Speak${attrs({ language })}>${escapeXml(text)}</Speak><Hangup/>`);
}
