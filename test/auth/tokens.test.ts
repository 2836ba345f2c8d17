import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../src/auth/tokens.js';

const secret = new TextEncoder().encode('x'.repeat(48));

describe('access tokens', () => {
  it('round-trips sub, jti and exp and marks typ access', async () => {
    const tokens = new AccessTokens(secret, 900, () => 1_800_000_000_000);
    const jwt = await tokens.issue('user-1');
    const claims = await tokens.verify(jwt);
    expect(claims.userId).toBe('user-1');
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp).toBe(1_800_000_000 + 900);
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ typ: 'access', sub: 'user-1', iat: 1_800_000_000 });
  });

  it("carries the account's token version as ver; a token from before ver existed reads as version 0; a bad ver is refused", async () => {
    const tokens = new AccessTokens(secret, 900, () => 1_800_000_000_000);
    expect((await tokens.verify(await tokens.issue('user-1', 3))).version).toBe(3);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ typ: 'access', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setJti('j').setIssuedAt(1_800_000_000).setExpirationTime(1_800_000_900).sign(secret);
    expect((await tokens.verify(await sign({}))).version).toBe(0);
    await expect(tokens.verify(await sign({ ver: '1' }))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(tokens.verify(await sign({ ver: 1.5 }))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('reports an expired token as TOKEN_EXPIRED once the clock passes exp', async () => {
    let now = 1_800_000_000_000;
    const tokens = new AccessTokens(secret, 60, () => now);
    const jwt = await tokens.issue('user-1');
    now += 61_000;
    await expect(tokens.verify(jwt)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', statusCode: 401 });
  });

  it('refuses a tampered signature, alg none, another secret and a wrong typ', async () => {
    const tokens = new AccessTokens(secret, 900);
    const jwt = await tokens.issue('user-1');
    const [h, p, s] = jwt.split('.');
    const flipped = s!.slice(0, -2) + (s!.endsWith('AA') ? 'BB' : 'AA');
    await expect(tokens.verify(`${h}.${p}.${flipped}`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });

    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'user-2' })).toString('base64url');
    await expect(tokens.verify(`${h}.${otherPayload}.${s}`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });

    const none = new UnsecuredJWT({ typ: 'access' }).setSubject('user-1').setJti('j').setIssuedAt().setExpirationTime('10m').encode();
    await expect(tokens.verify(none)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });

    const foreign = await new AccessTokens(new TextEncoder().encode('y'.repeat(48)), 900).issue('user-1');
    await expect(tokens.verify(foreign)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });

    const refreshTyped = await new SignJWT({ typ: 'refresh' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setJti('j1')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(secret);
    await expect(tokens.verify(refreshTyped)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(tokens.verify('not-a-jwt')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
