/**
 * The languages Podd speaks and writes, and the one converter from a locale to them. Every
 * sentence under prompts/ exists in each (tests enforce it); a locale Podd has no sentences for
 * is answered in English.
 */
export const LANGS = ['en', 'hi'] as const;
export type Lang = (typeof LANGS)[number];

/** The locale each language is spoken in (speech providers, TwiML, replies). */
export const LOCALE: Record<Lang, string> = { en: 'en-IN', hi: 'hi-IN' };

/** `hi-IN`, `hi` → hi; `en-IN`, `auto`, anything else → en. */
export function langOf(locale: unknown): Lang {
  return typeof locale === 'string' && locale.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

/** The language a locale names, or undefined when it names none Podd speaks (`auto`, `ta-IN`). */
export function knownLangOf(locale: unknown): Lang | undefined {
  if (typeof locale !== 'string') return undefined;
  const l = locale.toLowerCase();
  return (LANGS as readonly string[]).find((x) => l === x || l.startsWith(`${x}-`)) as Lang | undefined;
}

/** A request's locale to speak in: `auto` (decide from the words) speaks `fallback` until they are known. */
export function speakingLocale(locale: string, fallback = LOCALE.en): string {
  return locale === 'auto' ? fallback : locale;
}
