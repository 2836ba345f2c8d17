/** "Asha Devi" → "Asha": a greeting and an SMS use the first name. */
export function firstName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const first = name.trim().split(/\s+/)[0];
  return first || undefined;
}
