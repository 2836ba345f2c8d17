/**
 * A local Twilio REST fake for the two resources Podd uses (API version 2010-04-01):
 * POST /2010-04-01/Accounts/{AccountSid}/Calls.json and …/Messages.json, form-encoded, HTTP
 * Basic auth with the Account SID and auth token. Answers like Twilio: 201 with the resource,
 * 401 with error 20003 for bad credentials, 400 with Twilio's error codes for missing
 * parameters, 404 for other paths. Every accepted request is recorded.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTwilioRequest {
  resource: 'Calls' | 'Messages';
  accountSid: string;
  form: Record<string, string>;
}

export interface FakeTwilio {
  url: string;
  calls: FakeTwilioRequest[];
  messages: FakeTwilioRequest[];
  /** Next requests fail with this HTTP status and Twilio error code (e.g. 503 / 20500). */
  failNext(times: number, status?: number, code?: number): void;
  /** Every answer waits this long first (a slow provider); 0 again to stop. */
  delay(ms: number): void;
  close(): Promise<void>;
}

const sid = (prefix: string) => prefix + randomBytes(16).toString('hex');

function send(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const error = (status: number, code: number, message: string) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export async function startFakeTwilio(creds: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  const calls: FakeTwilioRequest[] = [];
  const messages: FakeTwilioRequest[] = [];
  let failures: { times: number; status: number; code: number } = { times: 0, status: 503, code: 20500 };
  let delayMs = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Messages)\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return send(res, 404, error(404, 20404, 'The requested resource was not found'));
    const expected = `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || decodeURIComponent(m[1]!) !== creds.accountSid) return send(res, 401, error(401, 20003, 'Authenticate'));
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return send(res, 400, error(400, 20001, 'Unsupported content type'));
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (failures.times > 0) {
      failures.times--;
      return send(res, failures.status, error(failures.status, failures.code, 'Service unavailable'));
    }
    const resource = m[2] as 'Calls' | 'Messages';
    if (!form.To) return send(res, 400, error(400, 21604, "A 'To' phone number is required."));
    if (!form.From) return send(res, 400, error(400, 21603, "A 'From' phone number is required."));
    if (resource === 'Calls') {
      if (!form.Url && !form.Twiml && !form.ApplicationSid) return send(res, 400, error(400, 21205, 'Url, Twiml or ApplicationSid is required'));
      calls.push({ resource, accountSid: m[1]!, form });
      return send(res, 201, { sid: sid('CA'), account_sid: creds.accountSid, to: form.To, from: form.From, status: 'queued', direction: 'outbound-api', api_version: '2010-04-01' });
    }
    if (!form.Body && !form.MediaUrl) return send(res, 400, error(400, 21602, 'Message body is required.'));
    messages.push({ resource, accountSid: m[1]!, form });
    return send(res, 201, { sid: sid('SM'), account_sid: creds.accountSid, to: form.To, from: form.From, body: form.Body, status: 'queued', num_segments: '1', api_version: '2010-04-01' });
  };

  const server: Server = createServer((req, res) => void handle(req, res).catch(() => send(res, 500, error(500, 20500, 'Internal Server Error'))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    messages,
    failNext(times, status = 503, code = 20500) {
      failures = { times, status, code };
    },
    delay(ms) {
      delayMs = ms;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
