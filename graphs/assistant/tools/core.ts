/**
 * What every tool shares: the turn's environment, the shape of a result, and the one write path
 * (`commit`), through UserHealth so REST, voice and chat apply the same rules (stock, alarm sync…).
 */
import { AppError } from '../../../src/errors.js';
import type { UserHealth } from '../../../src/health/service.js';
import { EVENT_TYPES, type EventType } from '../../../src/locusgraph/schemas.js';
import { isoInZone } from '../nlu/clock.js';
import type { FoodIndex } from '../nlu/food.js';
import { say, type Say } from '../speech.js';

export interface Action {
  type: string;
  id: string;
}

export interface MedicationInfo {
  id: string;
  name: string;
}

import type { Told } from '../../../src/health/emergencies.js';

export interface ToolEnv {
  health: UserHealth;
  timeZone: string;
  now: () => Date;
  foodIndex: FoodIndex;
  /** Active medications, loaded once per turn by load_context. */
  medications: readonly MedicationInfo[];
  /** The profile's conditions (some ranges depend on them), loaded by load_context. */
  medicalConditions?: readonly string[];
  /** Who hears of a reading that is an emergency on its own (the write's listener tells them). */
  whoIsTold?: () => Told;
}

/** What a tool did: structured data for an LLM, speech for the reply, ids for the caller. */
export type ToolResult =
  | { ok: true; say: Say[]; actions: Action[]; data?: unknown }
  | { ok: false; error: 'invalid' | 'not_found' | 'missing' | 'past'; say: Say[]; slots?: string[] };

export const fail = (error: 'invalid' | 'not_found' | 'missing' | 'past', s: Say[], slots?: string[]): ToolResult => ({ ok: false, error, say: s, ...(slots ? { slots } : {}) });

/** A validated write, not yet stored: lets an agent check every entry before writing any. */
export interface Prepared {
  type: EventType;
  payload: Record<string, unknown>;
  say: Say[];
}

export function validPayload(type: EventType, payload: Record<string, unknown>): boolean {
  return EVENT_TYPES[type].schema.safeParse(payload).success;
}

/** Now in the user's zone, as the stored time fields want it. */
export const nowIso = (env: ToolEnv): string => isoInZone(env.now(), env.timeZone);

/** Writes prepared entries in order; a refusal by the business rules is asked again, not thrown. */
export async function commit(env: ToolEnv, prepared: readonly Prepared[]): Promise<ToolResult> {
  const actions: Action[] = [];
  const data: unknown[] = [];
  for (const p of prepared) {
    try {
      const item = await env.health.create(p.type, p.payload);
      actions.push({ type: p.type, id: item.id });
      data.push(item);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_ERROR') return fail('invalid', [say('clarify.invalid')]);
      throw err;
    }
  }
  return { ok: true, say: prepared.flatMap((p) => p.say), actions, data };
}
