import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalFile } from '../../../../graphs/assistant/nlu/eval.js';
import { ROUTES } from '../../../../graphs/assistant/nlu/index.js';

const cases = parseEvalFile(readFileSync(new URL('../../../../fixtures/eval/utterances.jsonl', import.meta.url), 'utf8'));

describe('evaluation set', () => {
  it('has at least 200 utterances: 60 Hinglish, 40 Devanagari Hindi, every route, a held-out fifth', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => c.lang === 'hinglish').length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.lang === 'hi').length).toBeGreaterThanOrEqual(40);
    for (const route of ROUTES) for (const lang of ['en', 'hinglish', 'hi']) {
      expect(cases.some((c) => c.route === route && c.lang === lang), `${route}/${lang}`).toBe(true);
    }
    expect(cases.filter((c) => c.split === 'holdout').length / cases.length).toBeGreaterThanOrEqual(0.15);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('meets the floors: 95% route accuracy and 90% slot accuracy', () => {
    const { summary } = evaluate(cases);
    expect(summary.all.route_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.all.slot_accuracy).toBeGreaterThanOrEqual(0.9);
    expect(summary.holdout.route_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.holdout.slot_accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('tells asking about a value from reporting one: 60 pairs in three language forms, at least 97% each way', () => {
    const pairs = cases.filter((c) => c.id.startsWith('qs-'));
    const questions = pairs.filter((c) => c.id.endsWith('q'));
    const statements = pairs.filter((c) => c.id.endsWith('s'));
    expect(questions.length).toBeGreaterThanOrEqual(60);
    expect(statements.length).toBe(questions.length);
    for (const lang of ['en', 'hinglish', 'hi']) expect(questions.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(10);
    // A question stored as a reading pollutes history, charts and advice; a reading not stored is lost.
    const asked = evaluate(questions).summary.all;
    const told = evaluate(statements).summary.all;
    expect(asked.route_accuracy).toBeGreaterThanOrEqual(0.97);
    expect(told.route_accuracy).toBeGreaterThanOrEqual(0.97);
    expect(asked.slot_accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('tells a diet question from a meal report: 20 pairs in three language forms, at least 97% each way', () => {
    const pairs = cases.filter((c) => c.id.startsWith('dq-'));
    const questions = pairs.filter((c) => c.id.endsWith('q'));
    const reports = pairs.filter((c) => c.id.endsWith('s'));
    expect(questions.length).toBeGreaterThanOrEqual(20);
    expect(reports.length).toBe(questions.length);
    for (const lang of ['en', 'hinglish', 'hi']) expect(questions.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(5);
    for (const q of questions) expect(q.route).toBe('recommendation');
    for (const s of reports) expect(s.route).toBe('food');
    // A question logged as a meal adds calories nobody ate; a meal taken for a question is lost.
    const asked = evaluate(questions).summary.all;
    const told = evaluate(reports).summary.all;
    expect(asked.route_accuracy).toBeGreaterThanOrEqual(0.97);
    expect(told.route_accuracy).toBeGreaterThanOrEqual(0.97);
    expect(asked.slot_accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('never misroutes a labelled emergency', () => {
    const { outcomes } = evaluate(cases.filter((c) => c.route === 'emergency'));
    expect(outcomes.filter((o) => o.route !== 'emergency').map((o) => o.id)).toEqual([]);
  });
});
