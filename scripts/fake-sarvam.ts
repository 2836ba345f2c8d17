/**
 * `npm run fake:sarvam` runs the fake Sarvam server for offline demos of the cloud path:
 *   SARVAM_API_KEY=demo-key npm run fake:sarvam -- --port 8790 --tts-delay-ms 150
 * then start Podd with SARVAM_BASE_URL=<printed url> and the same SARVAM_API_KEY.
 */
import { parseArgs } from 'node:util';
import { startFakeSarvam } from '../test/fakes/sarvam/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.FAKE_SARVAM_PORT ?? '8790' },
    host: { type: 'string', default: '127.0.0.1' },
    'tts-delay-ms': { type: 'string', default: '0' },
    'detect-language': { type: 'string', default: 'en-IN' },
    transcript: { type: 'string', default: 'hello' },
  },
});

const apiKey = process.env.SARVAM_API_KEY;
if (!apiKey) {
  console.error('Set SARVAM_API_KEY to the key the fake should accept (the same one Podd will send).');
  process.exit(2);
}
const port = Number(values.port);
const ttsDelay = Number(values['tts-delay-ms']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isFinite(ttsDelay) || ttsDelay < 0) {
  console.error('usage: npm run fake:sarvam -- [--port 8790] [--host 127.0.0.1] [--tts-delay-ms 150] [--detect-language hi-IN] [--transcript "..."]');
  process.exit(2);
}

const fake = await startFakeSarvam({
  apiKey,
  port,
  host: values.host,
  script: {
    detectLanguage: values['detect-language'],
    defaultUtterance: { transcript: values.transcript! },
    tts: { msPerSentence: ttsDelay },
  },
});
console.log(`fake Sarvam listening on ${fake.url} (SARVAM_BASE_URL=${fake.url})`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
