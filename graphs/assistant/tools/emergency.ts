/**
 * Who hears of an emergency, as the reply says it. The desk (src/health/emergencies.ts) decides
 * from the profile and the contacts; without a desk nobody can be told, and the reply gives the
 * number to call instead.
 */
import { contactFor, type EmergencyDesk, type Told } from '../../../src/health/emergencies.js';
import type { HealthItem } from '../../../src/locusgraph/health.js';
import { say, type Say } from '../speech.js';

export function whoIsTold(desk: EmergencyDesk | undefined, userId: string, profile: HealthItem<'profile'> | null, contacts: readonly HealthItem<'emergency_contact'>[], who?: string): Told {
  if (desk) return desk.plan(userId, profile, contacts, who);
  const c = contactFor(contacts, who);
  return c ? { contact: { name: c.name, phone: c.phone }, channels: [], reason: 'no_provider', circle: [] } : { channels: [], reason: 'no_contact', circle: [] };
}

/**
 * Whom the reply says was told, or why nobody was and whom to call. `emergency` for symptoms and
 * readings (the reply has already said 112); false for a plain "call my son".
 */
export function toldSay(told: Told, emergency: boolean): Say[] {
  const c = told.contact;
  const vars = c ? { contact_name: c.name, contact_phone: c.phone } : undefined;
  const circle = told.circle.length ? { list: told.circle } : undefined;
  if (!('reason' in told)) {
    const call = told.channels.includes('call');
    const key = emergency ? (call ? 'emergency.told_sms_call' : 'emergency.told_sms') : call ? 'emergency.ask_told_sms_call' : 'emergency.ask_told_sms';
    return [say(key, vars), ...(circle ? [say('emergency.told_circle_too', { names: circle })] : [])];
  }
  // No contact to call, but caregivers who hear of alerts: they are texted.
  if (!c && circle) return [say('emergency.told_circle', { names: circle })];
  if (!c) return [say(emergency ? 'emergency.no_contact' : 'emergency.ask_no_contact')];
  if (told.reason === 'not_enabled') return [say(emergency ? 'emergency.then_call' : 'emergency.ask_not_enabled', vars)];
  return [say(emergency ? 'emergency.no_provider' : 'emergency.ask_no_provider', vars)];
}
