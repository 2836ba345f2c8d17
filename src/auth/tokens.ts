import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../errors.js';

export type Clock = () => number;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** 256 bits from the CSPRNG, URL-safe. */
export const randomToken = (prefix = '') => prefix + randomBytes(32).toString('base64url');

export interface AccessClaims {
  userId: string;
  jti: string;
  exp: number;
}

/** HS256 access tokens with `typ: "access"`; anything else (alg none, other typ) is refused. */
export class AccessTokens {
  /** Imported once: handing jose raw bytes would import the key again on every verify. */
  private readonly secret: KeyObject;

  constructor(
    secret: Uint8Array,
    readonly ttlS: number,
    private readonly now: Clock = Date.now,
  ) {
    this.secret = createSecretKey(secret);
  }

  async issue(userId: string): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlS)
      .sign(this.secret);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
        throw new AppError('TOKEN_INVALID', 'Invalid access token');
      }
      return { userId: payload.sub, jti: payload.jti, exp: payload.exp! };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'Access token expired');
      throw new AppError('TOKEN_INVALID', 'Invalid access token');
    }
  }
}
