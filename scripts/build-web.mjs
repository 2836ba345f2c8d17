#!/usr/bin/env node
/**
 * Builds the talk page: TypeScript (web/src) → ES modules with tsc, no bundler (the browser loads
 * the modules; the AudioWorklet imports the same PCM module as the page), plus the static files.
 *
 *   node scripts/build-web.mjs [--out <dir>]     (default dist/web)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const out = resolve(i > 0 ? process.argv[i + 1] : join(root, 'dist/web'));
const STATIC = ['index.html', 'styles.css', 'icon.svg'];

rmSync(join(out, 'js'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.web.json'), '--outDir', join(out, 'js')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build-web: tsc failed');
  process.exit(r.status ?? 1);
}
for (const f of STATIC) copyFileSync(join(root, 'web', f), join(out, f));
console.log(`build-web: wrote ${out}`);
