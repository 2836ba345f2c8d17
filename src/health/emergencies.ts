/**
 * Emergencies reach people. When the person says something that may be an emergency (symptoms, a
 * fall, "help"), asks Podd to call someone ("call my son", "Rahul ko phone karo"), or writes a
 * reading that is an emergency on its own (a very low sugar), their contact is told at once: an
 * SMS and, when calls are possible, a phone call that speaks the message. "I'm okay" or "it was a
 * mistake" afterwards sends the same people an all-clear.
 *
 * Who is told is decided synchronously from the profile and the contacts the caller already has,
 * so the spoken reply can say it ("I've sent a message to Rahul") without waiting for anything.
 * The record (an `alert` of kind `emergency`) and the sends run in the background: up to three
 * tries each on 5xx or timeouts, what became of them written to the record's `notified`. A failed
 * or impossible send never fails the turn, and nothing of what was said reaches the logs.
 * Never via an LLM: the words are the templates of prompts/care and prompts/replies.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { CARE, type CareKey } from '../../prompts/care.js';
import type { HealthItem, UserHealthStore } from '../locusgraph/health.js';
import { localTime } from '../locusgraph/zoned-time.js';
import { deferred } from '../util/async.js';
import type { Lang } from '../../prompts/lang.js';
import type { CircleAlerts } from '../care/recipients.js';
import { sendWithRetries, type FamilyMessenger, type Notified } from './care-alerts.js';
import { firstName, primaryContact, samePhone } from './people.js';
import { preferencesOf } from './preferences.js';

/** What happened, most specific first: the NLU's symptom names, or a reading rule's code. */
export const EMERGENCY_WHAT = [
  'chest_pain', 'breathing', 'fainting', 'stroke', 'dizziness', 'seizure', 'bleeding', 'fall', 'self_harm', 'overdose', 'general',
  'sugar_very_low', 'spo2_very_low',
] as const;
export type EmergencyWhat = (typeof EMERGENCY_WHAT)[number];

type Contact = HealthItem<'emergency_contact'>;
type Profile = HealthItem<'profile'>;
export type Channel = 'sms' | 'call';

/** Who hears of it, decided before anything is sent (the reply says it). */
export type Told = (
  | { contact: { name: string; phone: string }; channels: Channel[] }
  | { contact?: { name: string; phone: string }; channels: []; reason: 'not_enabled' | 'no_contact' | 'no_provider' }
) & {
  /** Caregivers with the `alerts` scope who are texted too (besides the contact). */
  circle: string[];
};

export interface EmergencyRequest {
  /** What happened; empty for a plain ask to call. */
  what: readonly EmergencyWhat[];
  /** The person asked for someone to be called ("call my son"). */
  asked: boolean;
  /** Whom they named ("son", "rahul"): a contact's first name or relationship. Else the primary contact. */
  who?: string;
  /** What the person was told, in their language (kept on the record). */
  message: string;
  /** The reading it is about (`vitals:<id>`), for reading emergencies. */
  referenceId?: string;
}

export interface Raised {
  told: Told;
  /** Names this emergency for a later all-clear (the thread keeps it). */
  ref: string;
}

export interface EmergencyDeskOptions {
  defaultTimezone: string;
  now: () => number;
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>;
  /** Absent when no SMS provider is configured: nobody can be told (no_provider). */
  messenger?: FamilyMessenger;
  /** One claim per (user, key) per window, shared by every instance (podd_auth.db). */
  claim: (userId: string, key: string, windowMs: number) => boolean;
  /** A repeated emergency of the same kind within this window is not sent again. Default 5 minutes. */
  repeatWindowMs?: number;
  /** Reading emergencies: one per kind per hour (an alert storm sends once). */
  readingWindowMs?: number;
  /** Waits between tries; default 0.5 s then 2 s (three tries). */
  retryDelaysMs?: readonly number[];
  /** Raised emergencies remembered for an all-clear; default 200 per process, each for an hour. */
  memory?: number;
  /** The person's caregivers with the `alerts` scope: texted too, in their own language. */
  circle?: CircleAlerts;
}

/** An emergency raised in this process: whom it told, and its record once written. */
interface Open {
  userId: string;
  told: Told;
  /** Everyone a message reached, for the all-clear. */
  reached: Promise<Array<{ name: string; phone: string; lang: Lang }>>;
  profile: Profile | null;
  record: Promise<string | undefined>;
  /** The sends (and the notified patch) done. */
  sent: Promise<void>;
  at: number;
  cleared: boolean;
}


const RELATIONS: Record<string, readonly string[]> = {
  son: ['son', 'beta', 'bete', 'बेटा', 'बेटे'],
  daughter: ['daughter', 'beti', 'बेटी'],
  wife: ['wife', 'patni', 'biwi', 'पत्नी', 'बीवी'],
  husband: ['husband', 'pati', 'पति'],
  brother: ['brother', 'bhai', 'bhaiya', 'भाई', 'भैया'],
  sister: ['sister', 'behen', 'bahan', 'didi', 'बहन', 'दीदी'],
  father: ['father', 'dad', 'papa', 'pitaji', 'पिताजी', 'पापा'],
  mother: ['mother', 'mom', 'mummy', 'maa', 'माँ', 'मां', 'मम्मी'],
  grandson: ['grandson', 'pota', 'nati', 'पोता', 'नाती'],
  granddaughter: ['granddaughter', 'poti', 'natin', 'पोती', 'नातिन'],
  neighbour: ['neighbour', 'neighbor', 'padosi', 'पड़ोसी'],
  friend: ['friend', 'dost', 'दोस्त'],
  doctor: ['doctor', 'dr', 'डॉक्टर'],
};

/** The contact the person named ("son", "Rahul"), else the primary contact. */
export function contactFor(contacts: readonly Contact[], who?: string): Contact | undefined {
  const w = who?.toLowerCase();
  if (w) {
    const byName = contacts.find((c) => firstName(c.name)?.toLowerCase() === w || c.name.toLowerCase() === w);
    if (byName) return byName;
    const relation = Object.entries(RELATIONS).find(([key, words]) => key === w || words.includes(w))?.[1];
    if (relation) {
      const byRelation = contacts.filter((c) => c.relationship && relation.some((r) => c.relationship!.toLowerCase().split(/[\s,/]+/).includes(r)));
      if (byRelation.length) return byRelation.find((c) => c.is_primary) ?? byRelation[0];
    }
  }
  return primaryContact(contacts) ?? contacts[0];
}

export class EmergencyDesk {
  private readonly open = new Map<string, Open>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly delays: readonly number[];

  constructor(private readonly o: EmergencyDeskOptions) {
    this.delays = o.retryDelaysMs ?? [500, 2000];
  }

  /** Whether a call can be placed as well as a text. */
  get canCall(): boolean {
    return typeof this.o.messenger?.call === 'function';
  }

  /**
   * Who would be told: the named (else primary) contact, unless the profile turned
   * `caregiver_alerts.emergency` off (on by default), there is no contact, or no provider.
   */
  plan(userId: string, profile: Profile | null, contacts: readonly Contact[], who?: string): Told {
    const c = contactFor(contacts, who);
    const contact = c ? { name: c.name, phone: c.phone } : undefined;
    const off = profile?.caregiver_alerts?.emergency === false;
    const circle = off || !this.o.messenger ? [] : (this.o.circle?.names(userId) ?? []).filter((n) => n !== contact?.name);
    if (!contact) return { channels: [], reason: 'no_contact', circle };
    if (off) return { contact, channels: [], reason: 'not_enabled', circle };
    if (!this.o.messenger) return { contact, channels: [], reason: 'no_provider', circle };
    return { contact, channels: this.canCall ? ['sms', 'call'] : ['sms'], circle };
  }

  /**
   * Records the emergency and tells the people `plan` names, in the background. Returns at once
   * with whom it tells and a reference for the all-clear.
   */
  raise(store: UserHealthStore, req: EmergencyRequest, known: { profile: Profile | null; contacts: readonly Contact[] }): Raised {
    const now = this.o.now();
    const told = this.plan(store.userId, known.profile, known.contacts, req.who);
    const ref = randomUUID();
    const code = req.what[0] ?? 'call_request';
    const occurredAt = new Date(now).toISOString();
    const record = this.track(
      store
        .storeEvent(
          'alert',
          {
            kind: 'emergency',
            code,
            severity: 'urgent',
            message: req.message.slice(0, 1000),
            occurred_at: occurredAt,
            ...(req.referenceId ? { reference_id: req.referenceId } : {}),
            notified: [],
          },
          { source: 'system' },
        )
        .then((r) => r.id)
        .catch((err) => {
          this.o.log.warn({ userId: store.userId, err: { name: (err as Error)?.name } }, 'emergency not recorded');
          return undefined;
        }),
    );
    const reached = deferred<Array<{ name: string; phone: string; lang: Lang }>>();
    const sent = this.track(
      this.send(store, told, known.profile, req, code, occurredAt, record, reached.resolve).catch((err) => {
        this.o.log.warn({ userId: store.userId, err: { name: (err as Error)?.name } }, 'emergency send failed');
      }),
    );
    void sent.then(() => reached.resolve([]));
    this.remember(ref, { userId: store.userId, told, reached: reached.promise, profile: known.profile, record, sent, at: now, cleared: false });
    return { told, ref };
  }

  /**
   * "I'm okay", "it was a mistake": the people told of emergency `ref` get an all-clear text.
   * Returns whom it tells (the reply names them); undefined when `ref` is unknown to this process
   * or already cleared, and nothing is sent.
   */
  clear(store: UserHealthStore, ref: string): Told | undefined {
    const e = this.open.get(ref);
    if (!e || e.userId !== store.userId || e.cleared) return undefined;
    if ('reason' in e.told && !e.told.circle.length) return undefined;
    e.cleared = true;
    const at = new Date(this.o.now()).toISOString();
    this.track(
      (async () => {
        await e.sent;
        const id = await e.record;
        const notified: Notified[] = [];
        for (const r of await e.reached) {
          const body = this.words(e.profile, 'all_clear_sms', undefined, at, r.lang);
          notified.push(await this.attempt(store, 'sms', r, () => this.o.messenger!.sms(r.phone, body), 'all_clear'));
        }
        if (id) {
          const current = await store.get('alert', id);
          await store.patch('alert', id, { cleared_at: at, notified: [...(current?.notified ?? []), ...notified] });
        }
      })().catch((err) => this.o.log.warn({ userId: store.userId, err: { name: (err as Error)?.name } }, 'emergency all-clear failed')),
    );
    return e.told;
  }

  /** Resolves when every record and send started so far has finished (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  private async send(
    store: UserHealthStore,
    told: Told,
    profile: Profile | null,
    req: EmergencyRequest,
    code: string,
    occurredAt: string,
    record: Promise<string | undefined>,
    reached: (people: Array<{ name: string; phone: string; lang: Lang }>) => void,
  ): Promise<void> {
    const notified: Notified[] = [];
    const at = () => new Date(this.o.now()).toISOString();
    const { lang } = preferencesOf(profile, this.o.defaultTimezone);
    const people: Array<{ name: string; phone: string; lang: Lang }> = [];
    const window = req.referenceId ? (this.o.readingWindowMs ?? 3_600_000) : (this.o.repeatWindowMs ?? 5 * 60_000);
    const anyone = !('reason' in told) || told.circle.length > 0;
    const claimed = anyone && this.o.claim(store.userId, `emergency:${req.asked && !req.what.length ? 'call_request' : code}`, window);
    const what = req.what[0];
    const smsKey = req.what.length ? 'emergency_sms' : 'asked_sms';
    if ('reason' in told) {
      notified.push({ channel: 'sms', ...(told.contact ? { to: told.contact.name } : {}), status: 'skipped', reason: told.reason, at: at() });
    } else if (!claimed) {
      notified.push({ channel: 'sms', to: told.contact.name, status: 'skipped', reason: 'rate_limited', at: at() });
    } else {
      const contact = told.contact;
      const sms = this.words(profile, smsKey, what, occurredAt);
      const speech = this.words(profile, req.what.length ? 'emergency_call' : 'asked_call', what, occurredAt);
      const sends = [this.attempt(store, 'sms', contact, () => this.o.messenger!.sms(contact.phone, sms))];
      if (told.channels.includes('call')) sends.push(this.attempt(store, 'call', contact, () => this.o.messenger!.call!(contact.phone, speech, lang)));
      const results = await Promise.all(sends);
      notified.push(...results);
      if (results[0]!.status === 'sent') people.push({ ...contact, lang });
    }
    // The care circle: a text each, in their own language; one without a phone sees it in their alert list.
    if (told.circle.length && this.o.circle) {
      for (const r of await this.o.circle.recipients(store.userId)) {
        if (!told.circle.includes(r.name)) continue;
        if (!r.phone) {
          notified.push({ channel: 'sms', to: r.name, status: 'skipped', reason: 'no_phone', at: at() });
          continue;
        }
        if (told.contact && samePhone(told.contact.phone, r.phone)) continue;
        if (!claimed) {
          notified.push({ channel: 'sms', to: r.name, status: 'skipped', reason: 'rate_limited', at: at() });
          continue;
        }
        const phone = r.phone;
        const body = this.words(profile, smsKey, what, occurredAt, r.lang);
        const result = await this.attempt(store, 'sms', r, () => this.o.messenger!.sms(phone, body));
        notified.push(result);
        if (result.status === 'sent') people.push({ name: r.name, phone, lang: r.lang });
      }
    }
    reached(people);
    const id = await record;
    if (id) await store.patch('alert', id, { notified: notified.slice(0, 20) });
  }

  /** One channel, up to three tries (sendWithRetries); never throws. */
  private async attempt(store: UserHealthStore, channel: Channel, contact: { name: string }, send: () => Promise<void>, about?: 'all_clear'): Promise<Notified> {
    const extra = about ? { about } : {};
    const result = await sendWithRetries(channel, contact, send, this.delays, (ok, fields) =>
      (ok ? this.o.log.info : this.o.log.warn).call(this.o.log, { userId: store.userId, channel, ...fields, ...extra }, ok ? 'emergency message sent' : 'emergency message not sent'),
    );
    return { ...result, at: new Date(this.o.now()).toISOString(), ...extra };
  }

  /** A text or a call's words in the person's language: their first name, what happened, the local time. */
  private words(profile: Profile | null, key: 'emergency_sms' | 'asked_sms' | 'emergency_call' | 'asked_call' | 'all_clear_sms', what: EmergencyWhat | undefined, atIso: string, to?: Lang): string {
    const prefs = preferencesOf(profile, this.o.defaultTimezone);
    const lang = to ?? prefs.lang;
    const timeZone = prefs.timeZone;
    const g = profile?.gender === 'female' ? 'female' : profile?.gender === 'male' ? 'male' : 'other';
    return CARE.render(lang, key, {
      name: firstName(profile?.name) ?? CARE.text(lang, 'someone'),
      what: CARE.text(lang, `what.${what ?? 'general'}` as CareKey),
      time: localTime(Date.parse(atIso), timeZone),
      pronoun: CARE.text(lang, `pronoun_object.${g}` as CareKey),
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  private remember(ref: string, e: Open): void {
    const max = this.o.memory ?? 200;
    for (const [k, v] of this.open) {
      if (this.open.size < max && e.at - v.at <= 3_600_000) break;
      this.open.delete(k);
    }
    this.open.set(ref, e);
  }
}
