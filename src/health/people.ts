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
