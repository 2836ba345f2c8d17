#!/usr/bin/env node
// `npm run test:shifted`: the suite again, with the host's clock moved by libfaketime, once per
// offset (default: 400 days ahead and 30 days back). No test may depend on the host's date: the
// service runs on one injected clock, and the tests set it. The browser tests stay out, as
// libfaketime preloads into Chromium, which does not survive it.
//   npm run test:shifted                       # +400 days, then -30 days
//   npm run test:shifted -- '+2 years' '-1 day' [-- vitest args]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSER_TESTS = ['test/web/talk.int.test.ts'];

const args = process.argv.slice(2);
const split = args.indexOf('--');
const offsets = (split === -1 ? args : args.slice(0, split)).filter(Boolean);
const vitestArgs = split === -1 ? [] : args.slice(split + 1);
if (offsets.length === 0) offsets.push('+400 days', '-30 days');

if (spawnSync('sh', ['-c', 'command -v faketime'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write('[test:shifted] faketime is not installed: run `npm run setup` as root, or apt-get install faketime\n');
  process.exit(1);
}

for (const offset of offsets) {
  const start = localStamp(new Date(shift(Date.now(), offset)));
  process.stdout.write(`[test:shifted] host clock at ${start} local time (${offset})\n`);
  const r = spawnSync('faketime', [start, 'npx', 'vitest', 'run', ...BROWSER_TESTS.flatMap((f) => ['--exclude', f]), ...vitestArgs], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) {
    process.stderr.write(`[test:shifted] failed with the host clock at ${start} local time (${offset})\n`);
    process.exit(r.status || 1);
  }
}

/** faketime's start: "YYYY-MM-DD hh:mm:ss" in the local zone. */
function localStamp(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** now moved by "+400 days", "-30 days", "+2 years", "-6 hours". */
function shift(now, offset) {
  const m = /^([+-])\s*(\d+)\s*(year|month|day|hour|minute)s?$/.exec(offset.trim());
  if (!m) {
    process.stderr.write(`[test:shifted] cannot read the offset "${offset}" (e.g. "+400 days", "-30 days")\n`);
    process.exit(2);
  }
  const n = (m[1] === '-' ? -1 : 1) * Number(m[2]);
  const d = new Date(now);
  if (m[3] === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (m[3] === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setTime(now + n * { day: 86_400_000, hour: 3_600_000, minute: 60_000 }[m[3]]);
  return d.getTime();
}
