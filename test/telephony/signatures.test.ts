import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { plivoSignatureV3, twilioSignature, verifyBasicAuth, verifyPlivoSignatureV3, verifyTwilioSignature } from '../../src/telephony/signatures.js';

describe('Twilio X-Twilio-Signature', () => {
  // The worked example of Twilio's webhook security documentation (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };

  it("matches the signature Twilio's documentation prints for its example", () => {
    expect(twilioSignature('12345', url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(verifyTwilioSignature('12345', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
  });

  it('fails for a tampered parameter, a wrong URL, another token, or a missing header', () => {
    const sig = twilioSignature('12345', url, params);
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '9999' }, sig)).toBe(false);
    expect(verifyTwilioSignature('12345', url, { ...params, Extra: '' }, sig)).toBe(false);
    expect(verifyTwilioSignature('12345', url.replace('https', 'http'), params, sig)).toBe(false);
    expect(verifyTwilioSignature('12345', 'https://mycompany.com/other.php?foo=1&bar=2', params, sig)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, sig)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, '')).toBe(false);
  });

  it('signs a WebSocket upgrade over the wss:// URL with no parameters', () => {
    const expected = createHmac('sha1', 'tok').update('wss://podd.example.com/api/telephony/twilio').digest('base64');
    expect(twilioSignature('tok', 'wss://podd.example.com/api/telephony/twilio')).toBe(expected);
  });
});

describe('Plivo X-Plivo-Signature-V3', () => {
  const hmac = (s: string) => createHmac('sha256', 'plivo-token').update(s).digest('base64');

  it('POST: URL with its query sorted, a dot, the sorted params as name+value, a dot, the nonce', () => {
    const url = 'https://podd.example.com/api/telephony/plivo/answer?b=2&a=1';
    const params = { From: '919876543210', CallUUID: 'c-1', To: '918000000000' };
    const expected = hmac('https://podd.example.com/api/telephony/plivo/answer?a=1&b=2.CallUUIDc-1From919876543210To918000000000.n0nce');
    expect(plivoSignatureV3('plivo-token', 'POST', url, params, 'n0nce')).toBe(expected);
  });

  it('POST without a query: "?" then the params; GET without a query: the bare URL', () => {
    expect(plivoSignatureV3('plivo-token', 'POST', 'https://h.example/a', { B: '2', A: '1' }, 'n')).toBe(hmac('https://h.example/a?A1B2.n'));
    expect(plivoSignatureV3('plivo-token', 'GET', 'wss://h.example/api/telephony/plivo', {}, 'n')).toBe(hmac('wss://h.example/api/telephony/plivo.n'));
  });

  it('accepts any one of several comma-separated signatures; refuses a wrong nonce, URL or parameter', () => {
    const url = 'https://h.example/answer';
    const params = { From: '1415' };
    const sig = plivoSignatureV3('plivo-token', 'POST', url, params, 'n1');
    expect(verifyPlivoSignatureV3('plivo-token', 'POST', url, params, 'n1', `bogus=, ${sig}`)).toBe(true);
    expect(verifyPlivoSignatureV3('plivo-token', 'POST', url, params, 'n2', sig)).toBe(false);
    expect(verifyPlivoSignatureV3('plivo-token', 'POST', url + 'x', params, 'n1', sig)).toBe(false);
    expect(verifyPlivoSignatureV3('plivo-token', 'POST', url, { From: '1416' }, 'n1', sig)).toBe(false);
    expect(verifyPlivoSignatureV3('plivo-token', 'POST', url, params, undefined, sig)).toBe(false);
  });
});

describe('Basic credentials (Exotel)', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it('accepts exactly the configured user and password', () => {
    expect(verifyBasicAuth(basic('u:p:with:colons'), 'u', 'p:with:colons')).toBe(true);
    expect(verifyBasicAuth(basic('u:wrong'), 'u', 'p')).toBe(false);
    expect(verifyBasicAuth(basic('x:p'), 'u', 'p')).toBe(false);
    expect(verifyBasicAuth(basic('nocolon'), 'u', 'p')).toBe(false);
    expect(verifyBasicAuth('Bearer abc', 'u', 'p')).toBe(false);
    expect(verifyBasicAuth(undefined, 'u', 'p')).toBe(false);
  });
});
