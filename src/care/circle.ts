/**
 * The care circle: who may look after whom, with the person's consent. Invitations, links and the
 * access log live with the accounts (podd_auth.db), never in the health store: they say who may
 * read, not what anyone's health is. A caregiver's reads go through the person's own store scope
 * (HealthService.forUser), each one logged here for the person to see.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Migration, SqliteDatabase } from '../db/sqlite.js';
import { AppError } from '../errors.js';

export const CARE_SCOPES = ['summary', 'vitals', 'medications', 'food', 'activity', 'alerts'] as const;
export type CareScope = (typeof CARE_SCOPES)[number];

/** The most caregivers (members plus open invitations) one person may have. */
export const MAX_CAREGIVERS = 20;
const INVITATION_TTL_MS = 7 * 86_400_000;

export function careMigration(version: number): Migration {
  return {
    version,
    up: (db) => {
      db.exec(`
        CREATE TABLE care_invitations (
          id           TEXT PRIMARY KEY,
          user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the person inviting
          email        TEXT NOT NULL,                 -- the invitee's, normalised
          relationship TEXT NOT NULL,
          scopes       TEXT NOT NULL,                 -- JSON array of CareScope
          code_hash    TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the code the invitee holds
          created_at   TEXT NOT NULL,
          expires_at   TEXT NOT NULL,
          accepted_at  TEXT,
          accepted_by  TEXT REFERENCES users(id) ON DELETE CASCADE,  -- gone with the account that accepted it
          cancelled_at TEXT
        );
        CREATE INDEX care_invitations_user ON care_invitations(user_id);
        CREATE TABLE care_links (
          id           TEXT PRIMARY KEY,
          user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the person cared for
          caregiver_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          relationship TEXT NOT NULL,
          scopes       TEXT NOT NULL,
          created_at   TEXT NOT NULL,
          updated_at   TEXT NOT NULL,
          UNIQUE (user_id, caregiver_id)
        );
        CREATE INDEX care_links_caregiver ON care_links(caregiver_id);
        CREATE TABLE care_access_log (
          seq          INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          caregiver_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          what         TEXT NOT NULL,                 -- the route read, e.g. overview:vitals,medications
          at           TEXT NOT NULL
        );
        CREATE INDEX care_access_log_user ON care_access_log(user_id, seq);
      `);
    },
  };
}

export interface CareLink {
  id: string;
  user_id: string;
  caregiver_id: string;
  relationship: string;
  scopes: CareScope[];
  created_at: string;
  updated_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  relationship: string;
  scopes: CareScope[];
  created_at: string;
  expires_at: string;
  status: 'pending' | 'accepted' | 'cancelled' | 'expired';
}

interface LinkRow extends Omit<CareLink, 'scopes'> {
  scopes: string;
}
interface InvitationRow {
  id: string;
  user_id: string;
  email: string;
  relationship: string;
  scopes: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  cancelled_at: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Ten characters a person can read aloud or type: no 0/O, 1/I/L. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function newCode(): string {
  const bytes = randomBytes(10);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
/** Codes are compared the way people type them: case and separators do not matter. */
const canonicalCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

const linkOf = (r: LinkRow): CareLink => ({ ...r, scopes: JSON.parse(r.scopes) as CareScope[] });

export class CareCircle {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private statusOf(r: InvitationRow): Invitation['status'] {
    if (r.accepted_at) return 'accepted';
    if (r.cancelled_at) return 'cancelled';
    return Date.parse(r.expires_at) <= this.now() ? 'expired' : 'pending';
  }

  private invitationOf(r: InvitationRow): Invitation {
    return { id: r.id, email: r.email, relationship: r.relationship, scopes: JSON.parse(r.scopes) as CareScope[], created_at: r.created_at, expires_at: r.expires_at, status: this.statusOf(r) };
  }

  /** The person invites `email`; the code is returned once and stored only as a hash. */
  invite(person: { id: string; email: string }, input: { email: string; relationship: string; scopes: CareScope[] }): Invitation & { code: string } {
    if (input.email === person.email) throw new AppError('VALIDATION_ERROR', 'You cannot invite yourself', { 'body.email': 'is your own email' });
    return this.db.transaction(() => {
      const pending = this.pendingOf(person.id);
      if (pending.some((i) => i.email === input.email)) throw new AppError('CONFLICT', 'This email already has an open invitation');
      const member = this.db
        .prepare('SELECT 1 FROM care_links l JOIN users u ON u.id = l.caregiver_id WHERE l.user_id = ? AND u.email = ?')
        .get(person.id, input.email);
      if (member) throw new AppError('CONFLICT', 'This person is already in your care circle');
      if (pending.length + this.members(person.id).length >= MAX_CAREGIVERS) {
        throw new AppError('CONFLICT', `A care circle has at most ${MAX_CAREGIVERS} caregivers and invitations`, { max: MAX_CAREGIVERS });
      }
      const code = newCode();
      const at = this.iso();
      const row: InvitationRow = {
        id: randomUUID(), user_id: person.id, email: input.email, relationship: input.relationship, scopes: JSON.stringify(dedupe(input.scopes)),
        code_hash: sha256(code), created_at: at, expires_at: new Date(this.now() + INVITATION_TTL_MS).toISOString(), accepted_at: null, accepted_by: null, cancelled_at: null,
      };
      this.db
        .prepare(`INSERT INTO care_invitations (id, user_id, email, relationship, scopes, code_hash, created_at, expires_at)
                  VALUES (@id, @user_id, @email, @relationship, @scopes, @code_hash, @created_at, @expires_at)`)
        .run(row);
      return { ...this.invitationOf(row), code };
    })();
  }

  private pendingOf(userId: string): Invitation[] {
    return this.invitations(userId).filter((i) => i.status === 'pending');
  }

  invitations(userId: string): Invitation[] {
    const rows = this.db.prepare('SELECT * FROM care_invitations WHERE user_id = ? ORDER BY created_at DESC, id').all(userId) as InvitationRow[];
    return rows.map((r) => this.invitationOf(r));
  }

  cancelInvitation(userId: string, id: string): void {
    const changed = this.db
      .prepare('UPDATE care_invitations SET cancelled_at = ? WHERE id = ? AND user_id = ? AND accepted_at IS NULL AND cancelled_at IS NULL')
      .run(this.iso(), id, userId).changes;
    if (!changed) throw new AppError('NOT_FOUND', 'Invitation not found');
  }

  /**
   * The invitee, signed in with the invited email, accepts: a link with the invitation's
   * relationship and scopes. A code works once, only for that email, only until it expires.
   */
  accept(caregiver: { id: string; email: string }, code: string): CareLink {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM care_invitations WHERE code_hash = ?').get(sha256(canonicalCode(code))) as InvitationRow | undefined;
      if (!row || row.cancelled_at) throw new AppError('NOT_FOUND', 'Invitation not found');
      if (row.email !== caregiver.email) throw new AppError('FORBIDDEN', 'This invitation is for another email address');
      if (row.accepted_at) throw new AppError('CONFLICT', 'This invitation has already been used');
      if (Date.parse(row.expires_at) <= this.now()) throw new AppError('CONFLICT', 'This invitation has expired; ask for a new one', { expired: true });
      if (row.user_id === caregiver.id) throw new AppError('VALIDATION_ERROR', 'You cannot care for yourself');
      if (this.link(row.user_id, caregiver.id)) throw new AppError('CONFLICT', 'You are already in this care circle');
      const at = this.iso();
      this.db.prepare('UPDATE care_invitations SET accepted_at = ?, accepted_by = ? WHERE id = ?').run(at, caregiver.id, row.id);
      const link: LinkRow = { id: randomUUID(), user_id: row.user_id, caregiver_id: caregiver.id, relationship: row.relationship, scopes: row.scopes, created_at: at, updated_at: at };
      this.db
        .prepare('INSERT INTO care_links (id, user_id, caregiver_id, relationship, scopes, created_at, updated_at) VALUES (@id, @user_id, @caregiver_id, @relationship, @scopes, @created_at, @updated_at)')
        .run(link);
      return linkOf(link);
    })();
  }

  /** The link that lets `caregiverId` look after `userId`, if any. */
  link(userId: string, caregiverId: string): CareLink | undefined {
    const r = this.db.prepare('SELECT * FROM care_links WHERE user_id = ? AND caregiver_id = ?').get(userId, caregiverId) as LinkRow | undefined;
    return r && linkOf(r);
  }

  /** The people `caregiverId` looks after. */
  people(caregiverId: string): CareLink[] {
    return (this.db.prepare('SELECT * FROM care_links WHERE caregiver_id = ? ORDER BY created_at, id').all(caregiverId) as LinkRow[]).map(linkOf);
  }

  /** The person's caregivers. */
  members(userId: string): CareLink[] {
    return (this.db.prepare('SELECT * FROM care_links WHERE user_id = ? ORDER BY created_at, id').all(userId) as LinkRow[]).map(linkOf);
  }

  /** Caregivers with a scope (e.g. `alerts`: they hear of the person's alerts). */
  caregiversWith(userId: string, scope: CareScope): CareLink[] {
    return this.members(userId).filter((l) => l.scopes.includes(scope));
  }

  removeMember(userId: string, linkId: string): CareLink {
    const link = this.db.prepare('SELECT * FROM care_links WHERE id = ? AND user_id = ?').get(linkId, userId) as LinkRow | undefined;
    if (!link) throw new AppError('NOT_FOUND', 'Caregiver not found');
    this.db.prepare('DELETE FROM care_links WHERE id = ?').run(linkId);
    return linkOf(link);
  }

  updateMember(userId: string, linkId: string, patch: { scopes?: CareScope[]; relationship?: string }): CareLink {
    const link = this.db.prepare('SELECT * FROM care_links WHERE id = ? AND user_id = ?').get(linkId, userId) as LinkRow | undefined;
    if (!link) throw new AppError('NOT_FOUND', 'Caregiver not found');
    const next: LinkRow = {
      ...link,
      ...(patch.scopes ? { scopes: JSON.stringify(dedupe(patch.scopes)) } : {}),
      ...(patch.relationship ? { relationship: patch.relationship } : {}),
      updated_at: this.iso(),
    };
    this.db.prepare('UPDATE care_links SET scopes = @scopes, relationship = @relationship, updated_at = @updated_at WHERE id = @id').run(next);
    return linkOf(next);
  }

  /** One caregiver read, for the person's access log: who, what (route and scopes), when. */
  logAccess(userId: string, caregiverId: string, what: string): void {
    this.db.prepare('INSERT INTO care_access_log (user_id, caregiver_id, what, at) VALUES (?, ?, ?, ?)').run(userId, caregiverId, what, this.iso());
  }

  /** Newest first; `before` is the previous page's last `seq`. */
  accessLog(userId: string, opts: { limit: number; before?: number }): Array<{ seq: number; caregiver_id: string; what: string; at: string }> {
    return this.db
      .prepare('SELECT seq, caregiver_id, what, at FROM care_access_log WHERE user_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(userId, opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit) as Array<{ seq: number; caregiver_id: string; what: string; at: string }>;
  }
}

function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
