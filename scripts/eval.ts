/**
 * `npm run eval [-- <file.jsonl>] [-- --quiet]`: route and slot accuracy of the offline NLU over
 * fixtures/eval/utterances.jsonl. Prints failures, per-split and per-language figures, and a JSON
 * summary as the last line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, formatReport, parseEvalFile } from '../graphs/assistant/nlu/eval.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? join(here, '..', 'fixtures', 'eval', 'utterances.jsonl');
const report = evaluate(parseEvalFile(readFileSync(file, 'utf8')));
console.log(formatReport(report, !args.includes('--quiet')));
console.log(JSON.stringify(report.summary));
