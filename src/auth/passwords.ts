import argon2 from 'argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id with OWASP's minimum (m=19 MiB, t=2, p=1) as the floor; config may raise it.
 * Unknown emails verify against a dummy hash with the same parameters so that a failed login
 * takes the same time whether or not the account exists.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly params: Argon2Params) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.params });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    if (hash === undefined) {
      this.dummy ??= this.hash('podd-dummy-password-for-timing');
      await argon2.verify(await this.dummy, password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
