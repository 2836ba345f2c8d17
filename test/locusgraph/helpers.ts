import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';

/** A throwaway data dir and key; remove() deletes the dir. */
export function tempDataDir(prefix = 'podd-lg-'): { dir: string; key: Buffer; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, key: randomBytes(32), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The AppError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected failure');
}
