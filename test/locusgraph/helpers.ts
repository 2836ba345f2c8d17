import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway data dir and key; remove() deletes the dir. */
export function tempDataDir(prefix = 'podd-lg-'): { dir: string; key: Buffer; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, key: randomBytes(32), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
