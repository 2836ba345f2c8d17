import { describe, expect, it } from 'vitest';
import { LLM_PROMPTS, allKeys, placeholders, render, spokenList, template, type TemplateKey } from '../../prompts/index.js';

describe('reply templates', () => {
  it('have the same keys and placeholders in English and Hindi', () => {
    const keys = allKeys('en');
    expect(allKeys('hi')).toEqual(keys);
    for (const key of keys as TemplateKey[]) expect(placeholders('hi', key).sort(), key).toEqual(placeholders('en', key).sort());
  });

  it('write Hindi in Devanagari', () => {
    for (const key of allKeys('hi') as TemplateKey[]) {
      const t = template('hi', key);
      if (t.replace(/\{\w+\}/g, '').trim().length > 3 && !key.startsWith('labels.')) expect(t, key).toMatch(/[\u0900-\u097F]/);
    }
  });

  it('are short enough to speak', () => {
    for (const lang of ['en', 'hi'] as const) {
      for (const key of allKeys(lang) as TemplateKey[]) expect(template(lang, key).length, key).toBeLessThanOrEqual(200);
    }
  });

  it('render the emergency reply with 112 and the primary contact', () => {
    expect(render('en', 'emergency.call')).toContain('112');
    expect(render('hi', 'emergency.call')).toContain('112');
    const hi = render('hi', 'emergency.then_call', { contact_name: 'राहुल', contact_phone: '+91 98765 43210' });
    expect(hi).toContain('राहुल');
    expect(hi).toContain('+91 98765 43210');
  });

  it('refuse to render with a missing value rather than speak a placeholder', () => {
    expect(() => render('en', 'log.bp', { systolic: 140 })).toThrow(/diastolic/);
  });

  it('join lists for speech', () => {
    expect(spokenList('en', ['2 rotis', 'dal', 'rice'])).toBe('2 rotis, dal and rice');
    expect(spokenList('hi', ['दो रोटी', 'दाल'])).toBe('दो रोटी और दाल');
  });

  it('include a router prompt and a system prompt for every agent', () => {
    for (const name of ['router', 'food', 'log', 'health_query', 'recommendation', 'medication', 'reminder', 'chat'] as const) {
      expect(LLM_PROMPTS[name].length, name).toBeGreaterThan(100);
    }
    expect(LLM_PROMPTS.recommendation).toMatch(/Do not add advice/);
    expect(LLM_PROMPTS.router).toMatch(/emergency/);
    // A question about a food is not a meal, for the LLM either.
    expect(LLM_PROMPTS.router).toMatch(/"can I eat mangoes".* is not a meal: it is recommendation/);
    expect(LLM_PROMPTS.food).toMatch(/If they ask whether they can or should eat something, do not log anything/);
  });
});
