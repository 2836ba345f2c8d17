import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../src/config.js';

it('the README documents every environment variable the service reads', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`\`${v}\``));
  expect(missing).toEqual([]);
});

it('the README states the two commands', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain('npm run setup && npm start');
  expect(readme).toContain('npm run setup && npm test');
});
