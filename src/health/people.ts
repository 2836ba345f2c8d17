/** Who a person is to the people Podd writes to: their first name, their primary contact. */

/** "Asha Devi" → "Asha": a greeting and an SMS use the first name. */
export function firstName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const first = name.trim().split(/\s+/)[0];
  return first || undefined;
}

/** The contact the family is reached through: the primary one, or the only one. */
export function primaryContact<C extends { is_primary?: boolean }>(contacts: readonly C[]): C | undefined {
  return contacts.find((c) => c.is_primary) ?? (contacts.length === 1 ? contacts[0] : undefined);
}

/** Two ways of writing one number ("+91 98123 45678", "098123-45678"): the same last ten digits. */
export function samePhone(a: string, b: string): boolean {
  const last10 = (p: string) => p.replace(/\D/g, '').slice(-10);
  return last10(a) === last10(b);
}
