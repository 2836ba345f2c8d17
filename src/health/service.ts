/**
 * Business rules that span more than one event, shared by the REST routes and the assistant's
 * tools so that a meal or a dose logged by voice behaves exactly like one logged by an app:
 * references must exist, doses decrement stock, emergency contacts keep exactly one primary,
 * and every change is announced to listeners (the reminders module keeps alarms in step).
 */
import { AppError } from '../errors.js';
import { mergePatch, stripMeta, type HealthItem, type HealthStore, type ListQuery, type UserHealthStore } from '../locusgraph/health.js';
import { allPages } from '../locusgraph/port.js';
import { DATE_OF_BIRTH_RULE, EVENT_TYPES, type EventType } from '../locusgraph/schemas.js';
import { planDose, repeatedDose } from './doses.js';
import { preferencesOf, profileOf, type Preferences } from './preferences.js';

export type ChangeOp = 'create' | 'update' | 'delete';

/** Any stored record, fields unknown: rules below read them defensively. */
export type AnyItem = Record<string, unknown> & { id: string; created_at: string; updated_at: string };

export interface ChangeEvent {
  userId: string;
  type: EventType;
  op: ChangeOp;
  /** The record after the change; for deletes, the record as it was. */
  item: AnyItem;
  previous?: AnyItem;
}

export type ChangeListener = (store: UserHealthStore, change: ChangeEvent) => Promise<void> | void;

type Payload = Record<string, unknown>;

const badReference = (field: string, what: string) =>
  new AppError('VALIDATION_ERROR', 'Referenced record not found', { [field]: `no such ${what}` });

/** The id part of a reference: `medication:abc` → `abc`; a bare id stays as it is. */
/**
 * A stored item of any type as the type-agnostic rules and change listeners see it: the one
 * place the store's typed items are widened (generic writes cannot name their payload's fields).
 */
const loose = <T extends EventType>(item: HealthItem<T>): AnyItem => item as AnyItem;

export const bareId = (ref: unknown) => (typeof ref === 'string' ? ref.slice(ref.indexOf(':') + 1) : '');

const RULED = new Set<string>(['emergency_contact', 'medication_log', 'medication', 'med_schedule', 'meditation_log', 'alarm', 'profile', 'appointment']);

export class HealthService {
  private readonly listeners: ChangeListener[] = [];

  constructor(
    readonly store: HealthStore,
    readonly defaultTimezone: string,
    readonly now: () => number = Date.now,
  ) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs fn after every earlier serial() call for this user has settled. */
  private serial<R>(userId: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.tails.get(userId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(userId, tail);
    void tail.then(() => { if (this.tails.get(userId) === tail) this.tails.delete(userId); });
    return run;
  }

  forUser(userId: string): UserHealth {
    return new UserHealth(this.store.forUser(userId), this.defaultTimezone, this.listeners, this.now, (fn, type) => (type === undefined || RULED.has(type) ? this.serial(userId, fn) : fn()));
  }
}

export class UserHealth {
  constructor(
    readonly store: UserHealthStore,
    private readonly defaultTimezone: string,
    private readonly listeners: readonly ChangeListener[],
    private readonly now: () => number = Date.now,
    private readonly serial: <R>(fn: () => Promise<R>, type?: string) => Promise<R> = (fn) => fn(),
  ) {}

  get userId() {
    return this.store.userId;
  }

  get<T extends EventType>(type: T, id: string) {
    return this.store.get(type, id);
  }

  async mustGet<T extends EventType>(type: T, id: string): Promise<HealthItem<T>> {
    const item = await this.store.get(type, id);
    if (!item) throw new AppError('NOT_FOUND', 'Record not found');
    return item;
  }

  list<T extends EventType>(type: T, query?: ListQuery) {
    return this.store.list(type, query);
  }

  /**
   * Every record of a small collection (contacts, medications, schedules, alarms), or of a type
   * within [from, to) on its time field; newest first, read in pages of 100 until `cap`.
   */
  all<T extends EventType>(type: T, { from, to, cap = 1000 }: { from?: string; to?: string; cap?: number } = {}): Promise<HealthItem<T>[]> {
    return allPages((cursor) => this.store.list(type, { limit: 100, cursor, from, to }), cap);
  }

  /** The person's profile, typed; null before the first PUT. */
  profile(): Promise<HealthItem<'profile'> | null> {
    return profileOf(this.store);
  }

  /** The profile's time zone and language (see preferences.ts). */
  async preferences(): Promise<Preferences> {
    return preferencesOf(await this.profile(), this.defaultTimezone);
  }

  async timezone(): Promise<string> {
    return (await this.preferences()).timeZone;
  }

  create<T extends EventType>(type: T, payload: Payload, opts: { id?: string } = {}): Promise<HealthItem<T>> {
    return this.serial(() => this._create(type, payload, opts), type);
  }

  private async _create<T extends EventType>(type: T, payload: Payload, opts: { id?: string } = {}): Promise<HealthItem<T>> {
    const prepared = await this.beforeWrite(type, payload);
    const item = await this.store.storeEvent(type, prepared, opts);
    await this.afterWrite(type, 'create', loose(item));
    return item;
  }

  /**
   * Creates several records all-or-nothing: every payload passes the business rules before the
   * first is written, and if a write still fails the ones already written are removed. A refusal's
   * details are keyed `<index>.<field>`.
   */
  createMany<T extends EventType>(type: T, payloads: Payload[]): Promise<HealthItem<T>[]> {
    return this.serial(() => this._createMany(type, payloads), type);
  }

  private async _createMany<T extends EventType>(type: T, payloads: Payload[]): Promise<HealthItem<T>[]> {
    const prepared: Payload[] = [];
    for (const [i, p] of payloads.entries()) {
      try {
        prepared.push(await this.beforeWrite(type, p));
      } catch (err) {
        throw err instanceof AppError ? indexed(err, i) : err;
      }
    }
    const items: HealthItem<T>[] = [];
    try {
      for (const [i, p] of prepared.entries()) {
        try {
          items.push(await this.store.storeEvent(type, p));
        } catch (err) {
          throw err instanceof AppError ? indexed(err, i) : err;
        }
      }
    } catch (err) {
      for (const item of items) await this.store.deleteEvent(type, item.id);
      throw err;
    }
    for (const item of items) await this.afterWrite(type, 'create', loose(item));
    return items;
  }

  replace<T extends EventType>(type: T, id: string, payload: Payload): Promise<HealthItem<T>> {
    return this.serial(() => this._replace(type, id, payload), type);
  }

  private async _replace<T extends EventType>(type: T, id: string, payload: Payload): Promise<HealthItem<T>> {
    const previous = await this.mustGet(type, id);
    const prepared = await this.beforeWrite(type, payload, loose(previous));
    const item = await this.store.updateEvent(type, id, prepared);
    await this.afterWrite(type, 'update', loose(item), loose(previous));
    return item;
  }

  /** Create-or-replace of a singleton such as the profile; answers whether it was created. */
  upsert<T extends EventType>(type: T, id: string, payload: Payload): Promise<{ item: HealthItem<T>; created: boolean }> {
    return this.serial(() => this._upsert(type, id, payload), type);
  }

  private async _upsert<T extends EventType>(type: T, id: string, payload: Payload): Promise<{ item: HealthItem<T>; created: boolean }> {
    const found = await this.store.get(type, id);
    const previous = found ? loose(found) : null;
    const prepared = await this.beforeWrite(type, payload, previous ?? undefined);
    const r = await this.store.upsert(type, id, prepared);
    await this.afterWrite(type, r.created ? 'create' : 'update', loose(r.item), previous ?? undefined);
    return r;
  }

  patch<T extends EventType>(type: T, id: string, partial: Payload): Promise<HealthItem<T>> {
    return this.serial(() => this._patch(type, id, partial), type);
  }

  private async _patch<T extends EventType>(type: T, id: string, partial: Payload): Promise<HealthItem<T>> {
    const previous = await this.mustGet(type, id);
    const merged = mergePatch(stripMeta(previous), partial) as Payload;
    const prepared = await this.beforeWrite(type, merged, loose(previous));
    const item = await this.store.updateEvent(type, id, prepared);
    await this.afterWrite(type, 'update', loose(item), loose(previous));
    return item;
  }

  remove(type: EventType, id: string, opts: { force?: boolean } = {}): Promise<void> {
    return this.serial(() => this._remove(type, id, opts), type);
  }

  private async _remove(type: EventType, id: string, opts: { force?: boolean } = {}): Promise<void> {
    const previous = loose(await this.mustGet(type, id));
    if (type === 'emergency_contact') await this.checkContactDeletion(previous, opts.force === true);
    await this.store.deleteEvent(type, id);
    if (type === 'emergency_contact' && previous.is_primary) await this.promoteNewestContact();
    await this.notify({ userId: this.userId, type, op: 'delete', item: previous });
  }

  private async beforeWrite(type: EventType, payload: Payload, previous?: AnyItem): Promise<Payload> {
    switch (type) {
      case 'med_schedule':
        if (payload.medication_id !== undefined && !(await this.store.get('medication', bareId(payload.medication_id)))) {
          throw badReference('medication_id', 'medication');
        }
        return payload;
      case 'medication_log':
        return this.prepareDose(payload, previous);
      case 'meditation_log':
        if (payload.session_id !== undefined && !(await this.store.get('meditation_session', bareId(payload.session_id)))) {
          throw badReference('session_id', 'meditation session');
        }
        return payload;
      case 'appointment':
        // A new appointment, or a moved one, must be in the future: its reminder could never fire.
        if ((previous === undefined || previous.scheduled_at !== payload.scheduled_at) && typeof payload.scheduled_at === 'string' && Date.parse(payload.scheduled_at) <= this.now()) {
          throw new AppError('VALIDATION_ERROR', 'Appointment is in the past', { scheduled_at: 'must be in the future' });
        }
        return payload;
      case 'profile':
        if (previous?.date_of_birth !== payload.date_of_birth && typeof payload.date_of_birth === 'string' && Date.parse(payload.date_of_birth) > this.now()) {
          throw new AppError('VALIDATION_ERROR', 'Invalid profile', { date_of_birth: DATE_OF_BIRTH_RULE });
        }
        return payload;
      case 'emergency_contact': {
        const others = (await this.all('emergency_contact')).filter((c) => c.id !== previous?.id);
        // The first contact is the primary one; a contact cannot stop being primary while it is the only candidate.
        if (others.length === 0 || (previous?.is_primary && payload.is_primary === false && !others.some((c) => c.is_primary))) {
          return { ...payload, is_primary: true };
        }
        return payload;
      }
      default:
        return payload;
    }
  }

  /**
   * A dose's references must exist and agree; a new dose is linked to the scheduled dose it
   * satisfies (schedule_id + due_at, see doses.ts), and a repeat of a dose already logged for that
   * slot is refused (CONFLICT naming the earlier dose) unless it is marked `extra`.
   */
  private async prepareDose(payload: Payload, previous?: AnyItem): Promise<Payload> {
    let medicationId = payload.medication_id as string | undefined;
    if (payload.schedule_id !== undefined) {
      const schedule = await this.store.get('med_schedule', bareId(payload.schedule_id));
      if (!schedule) throw badReference('schedule_id', 'medication schedule');
      if (medicationId !== undefined && bareId(medicationId) !== bareId(schedule.medication_id)) {
        throw new AppError('VALIDATION_ERROR', 'Dose does not match its schedule', { medication_id: 'differs from the schedule’s medication' });
      }
      medicationId = schedule.medication_id as string;
    }
    if (medicationId !== undefined && !(await this.store.get('medication', bareId(medicationId)))) {
      throw badReference('medication_id', 'medication');
    }
    const prepared = medicationId === undefined ? payload : { ...payload, medication_id: medicationId };
    // Only a new, well-formed dose is placed on a slot; anything malformed is refused by the store's schema.
    const parsed = EVENT_TYPES.medication_log.schema.safeParse(prepared);
    if (previous || !parsed.success || parsed.data.extra === true || medicationId === undefined) return prepared;
    const dose = parsed.data;
    const plan = await planDose(this, {
      medicationId: bareId(medicationId),
      scheduleId: dose.schedule_id === undefined ? undefined : bareId(dose.schedule_id),
      dueAt: dose.due_at === undefined ? undefined : Date.parse(dose.due_at),
      at: dose.taken_at === undefined ? this.now() : Date.parse(dose.taken_at),
      status: dose.status,
    });
    if (!plan.slot) return prepared;
    if (plan.earlier) throw repeatedDose(plan.earlier, plan.slot);
    return { ...prepared, schedule_id: `med_schedule:${plan.slot.scheduleId}`, due_at: new Date(plan.slot.dueAt).toISOString() };
  }

  private async afterWrite(type: EventType, op: ChangeOp, item: AnyItem, previous?: AnyItem) {
    if (type === 'emergency_contact' && item.is_primary) await this.demoteOtherContacts(item.id);
    if (type === 'medication_log' && op === 'create' && item.status === 'taken' && item.medication_id) {
      await this.decrementStock(bareId(item.medication_id));
    }
    await this.notify({ userId: this.userId, type, op, item, previous });
  }

  private async notify(change: ChangeEvent) {
    for (const l of this.listeners) await l(this.store, change);
  }

  private async demoteOtherContacts(primaryId: string) {
    for (const c of await this.all('emergency_contact')) {
      if (c.id !== primaryId && c.is_primary) await this.store.updateEvent('emergency_contact', c.id, { ...stripMeta(c), is_primary: false });
    }
  }

  private async promoteNewestContact() {
    const rest = await this.all('emergency_contact');
    if (rest.length > 0 && !rest.some((c) => c.is_primary)) {
      const newest = rest.reduce((a, b) => (b.created_at > a.created_at ? b : a));
      await this.store.updateEvent('emergency_contact', newest.id, { ...stripMeta(newest), is_primary: true });
    }
  }

  private async checkContactDeletion(contact: AnyItem, force: boolean) {
    if (force) return;
    const all = await this.all('emergency_contact');
    if (all.length === 1 && all[0]!.id === contact.id) {
      throw new AppError('CONFLICT', 'This is your last emergency contact; delete it with ?force=true', { force: 'required to delete the last contact' });
    }
  }

  private async decrementStock(medicationId: string) {
    const med = await this.store.get('medication', medicationId);
    if (!med || typeof med.quantity !== 'number' || med.quantity <= 0) return;
    const updated = await this.store.updateEvent('medication', medicationId, { ...stripMeta(med), quantity: med.quantity - 1 });
    await this.notify({ userId: this.userId, type: 'medication', op: 'update', item: loose(updated), previous: loose(med) });
  }
}

function indexed(err: AppError, i: number): AppError {
  const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [`${i}.${k}`, v]));
  return new AppError(err.code, err.message, details, { statusCode: err.statusCode, headers: err.headers });
}
