/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark runs its subject and a baseline
 * side by side in one process and prints one JSON object as its last line.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
for (const name of names) {
  const mod = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as { default: () => Promise<unknown> };
  const result = await mod.default();
  console.log(JSON.stringify(result));
}
process.exit(0);
