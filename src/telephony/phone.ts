/**
 * Caller ids arrive in each provider's own spelling: Twilio sends E.164 (`+919876543210`), Plivo
 * drops the plus (`919876543210`), Exotel often sends the national form (`09876543210`), and
 * emergency contacts are typed by people (`+91-98765 43210`). Routing and SMS need one form.
 */
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * The E.164 form of a phone number, or null when it cannot be one. A number with a trunk prefix
 * (leading 0) or a bare national number of 10 digits is taken to be in `defaultCountryCode`.
 */
export function toE164(raw: unknown, defaultCountryCode = '91'): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (!/^\+?[0-9 ().-]{6,24}$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  let e164: string;
  if (trimmed.startsWith('+')) e164 = `+${digits}`;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (digits.startsWith('0')) e164 = `+${defaultCountryCode}${digits.replace(/^0+/, '')}`;
  else if (digits.length === 10) e164 = `+${defaultCountryCode}${digits}`;
  else e164 = `+${digits}`;
  return E164.test(e164) ? e164 : null;
}
