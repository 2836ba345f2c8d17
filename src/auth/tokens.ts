import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../errors.js';

export type Clock = () => number;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** 256 bits from the CSPRNG, URL-safe. */
export const randomToken = (prefix = '') => prefix + randomBytes(32).toString('base64url');

/** An HS256 key for jose, imported once. */
export function importHs256Key(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export interface AccessClaims {
  userId: string;
  jti: string;
  exp: number;
  /** The account's token version when issued (`ver`; 0 for tokens from before it existed). */
  version: number;
}

/** HS256 access tokens with `typ: "access"`; anything else (alg none, other typ) is refused. */
export class AccessTokens {
  /**
   * Imported once as a WebCrypto key: given bytes or a KeyObject, jose imports the key again on
   * every sign and verify, which was most of the cost of an authenticated request.
   */
  private readonly secret: Promise<webcrypto.CryptoKey>;

  constructor(
    secret: Uint8Array,
    readonly ttlS: number,
    private readonly now: Clock = Date.now,
  ) {
    this.secret = importHs256Key(secret);
  }

  async issue(userId: string, version = 0): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ typ: 'access', ver: version })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlS)
      .sign(await this.secret);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, await this.secret, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      const ver = payload.ver ?? 0;
      if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || !Number.isSafeInteger(ver)) {
        throw new AppError('TOKEN_INVALID', 'Invalid access token');
      }
      return { userId: payload.sub, jti: payload.jti, exp: payload.exp!, version: ver as number };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'Access token expired');
      throw new AppError('TOKEN_INVALID', 'Invalid access token');
    }
  }
}
