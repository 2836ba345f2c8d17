#!/usr/bin/env node
// `npm run setup`: everything a fresh Debian machine with Node 20 needs to run and test Podd.
// Idempotent: each step checks before it acts, so a second run takes seconds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages the speech providers, fixtures and browser tests use. */
export const DEBIAN_PACKAGES = [
  'build-essential',
  'pkg-config',
  'python3',
  'pocketsphinx',
  'pocketsphinx-en-us',
  'pocketsphinx-testdata',
  'sphinxbase-utils',
  'libpocketsphinx-dev',
  'libsphinxbase-dev',
  'espeak-ng',
  'flite',
  'sox',
  'chromium',
  // libfaketime: CI runs the suite a second time with the host's clock moved (npm run test:shifted).
  'faketime',
];

function log(msg) {
  process.stdout.write(`[setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    log(`failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function installDebianPackages() {
  if (!hasCommand('dpkg-query')) {
    log('not a Debian system: install the speech tools yourself (' + DEBIAN_PACKAGES.join(' ') + ')');
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    log('Debian packages: all present');
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    log(`missing Debian packages: ${missing.join(' ')}`);
    log(`run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
    log('(the service still starts; local speech and browser tests need them)');
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function installNodeModules() {
  // patches/ (patch-package, applied by npm's postinstall) changes what is installed too.
  const digest = createHash('sha256').update(readFileSync(join(root, 'package-lock.json')));
  const patches = join(root, 'patches');
  if (existsSync(patches)) for (const f of readdirSync(patches).sort()) digest.update(f).update(readFileSync(join(patches, f)));
  const hash = digest.digest('hex');
  const stamp = join(root, 'node_modules', '.podd-setup-lock');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    log('node modules: up to date');
    return;
  }
  log('installing node modules (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, hash);
}

function build() {
  log('building (tsc)');
  run('npm', ['run', 'build', '--silent']);
}

function buildSpeechAssets() {
  const script = join(root, 'scripts', 'build-speech.mjs');
  if (!existsSync(script)) return;
  log('building speech assets');
  run(process.execPath, [script]);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  log(`Node ${process.versions.node} is too old: Podd needs Node 20 or newer`);
  process.exit(1);
}
installDebianPackages();
installNodeModules();
build();
buildSpeechAssets();
log('done');
