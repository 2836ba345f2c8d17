import Database from 'better-sqlite3-multiple-ciphers';

export type SqliteDatabase = Database.Database;

/**
 * Opens an SQLite file encrypted at rest (SQLCipher v4 format) with a raw 256-bit key.
 * Order matters: the cipher pragmas must be the first statements on the connection, a first
 * read proves the key (a wrong key fails there with SQLITE_NOTADB), and temp_store=MEMORY keeps
 * sort spills out of the unencrypted system temp directory.
 */
export function openEncryptedDatabase(path: string, key: Buffer, options: { readonly?: boolean } = {}): SqliteDatabase {
  if (key.length !== 32) throw new Error('database key must be 32 bytes');
  const db = new Database(path, { readonly: options.readonly ?? false });
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export interface Migration {
  version: number;
  up: (db: SqliteDatabase) => void;
}

/** Applies versioned migrations in order, each in its own transaction, tracked by user_version. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
