import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ env: { LOG_LEVEL: 'trace' } });
});
afterAll(async () => t.close());

it('logs a full register/login/refresh/me flow without any email, password, name or token', async () => {
  const email = 'logcheck.person@example.com';
  const password = 'Very-Secret-Pass-123';
  const name = 'Meenakshi Sundaram';
  const reg = (await t.app.inject({ method: 'POST', url: '/api/auth/register?email=' + encodeURIComponent(email), payload: { email, password, name } })).json();
  const login = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).json();
  const refreshed = (await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: login.refresh_token } })).json();
  await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${refreshed.access_token}` } });
  await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: login.refresh_token } });
  await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong-password-here' } });

  const logs = t.logs();
  expect(logs.split('\n').filter(Boolean).length).toBeGreaterThan(8);
  for (const secret of [email, 'logcheck', password, name, reg.access_token, reg.refresh_token, login.access_token, login.refresh_token, refreshed.access_token, refreshed.refresh_token]) {
    expect(logs).not.toContain(secret);
  }
  // Ids and timings are what we do log.
  expect(logs).toContain('"responseTime"');
});
