import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import envPaths from 'env-paths';

export interface Credentials {
  server: string;
  access_token: string;
  refresh_token: string;
}

/** The user's config dir (XDG on Linux), or PODD_CONFIG_DIR; the file is 0600 as it holds tokens. */
export function credentialsPath(): string {
  const dir = process.env.PODD_CONFIG_DIR ?? envPaths('podd', { suffix: '' }).config;
  return join(dir, 'credentials.json');
}

export function loadCredentials(): Credentials | undefined {
  try {
    return JSON.parse(readFileSync(credentialsPath(), 'utf8')) as Credentials;
  } catch {
    return undefined;
  }
}

export function saveCredentials(c: Credentials): void {
  const file = credentialsPath();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(c, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}
