import { describe, expect, it } from 'vitest';
import { toE164 } from '../../src/telephony/phone.js';

describe('toE164', () => {
  it.each([
    ['+919876543210', '+919876543210'], // Twilio
    ['919876543210', '+919876543210'], // Plivo drops the plus
    ['09876543210', '+919876543210'], // Exotel's national form
    ['9876543210', '+919876543210'], // bare 10-digit national number
    ['+91-98765 43210', '+919876543210'], // typed by a person
    ['0014155550100', '+14155550100'], // international prefix
    ['+1 (415) 555-0100', '+14155550100'],
  ])('%s → %s', (raw, e164) => expect(toE164(raw)).toBe(e164));

  it('uses the given country code for national numbers', () => expect(toE164('07700900123', '44')).toBe('+447700900123'));

  it.each([[''], ['anonymous'], ['+0123'], ['12'], ['+1234567890123456'], [undefined], [42]])('refuses %s', (raw) => expect(toE164(raw)).toBeNull());
});
