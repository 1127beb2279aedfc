import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { settings, tokens } from '../schema.ts';

const SESSION_KEY_SETTING = 'admin.session_key';

export interface TokenInfo {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export function tokenRepo({ db }: Database, now: () => Date) {
  return {
    /** The live token with this hash, or null. The hash is looked up by index, not compared in JS. */
    async byHash(hash: string): Promise<TokenInfo | null> {
      const [row] = await db
        .select({ id: tokens.id, name: tokens.name, createdAt: tokens.createdAt, lastUsedAt: tokens.lastUsedAt })
        .from(tokens)
        .where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt)));
      return row ?? null;
    },

    /** Stores a token hash once; a second call with the same hash changes nothing. */
    async ensure(name: string, hash: string): Promise<void> {
      await db.insert(tokens).values({ name, hash, createdAt: now() }).onConflictDoNothing({ target: tokens.hash });
    },

    /** Stores a new token's hash; the caller shows the token once and forgets it. */
    async create(name: string, hash: string): Promise<TokenInfo> {
      const [row] = await db
        .insert(tokens)
        .values({ name, hash, createdAt: now() })
        .returning({ id: tokens.id, name: tokens.name, createdAt: tokens.createdAt, lastUsedAt: tokens.lastUsedAt });
      return row!;
    },

    async list(opts: { limit?: number; afterId?: number } = {}): Promise<TokenInfo[]> {
      return db
        .select({ id: tokens.id, name: tokens.name, createdAt: tokens.createdAt, lastUsedAt: tokens.lastUsedAt })
        .from(tokens)
        .where(and(isNull(tokens.revokedAt), opts.afterId ? gt(tokens.id, opts.afterId) : undefined))
        .orderBy(asc(tokens.id))
        .limit(opts.limit ?? 1000);
    },

    /** Revokes a live token; false when there is none with that id. */
    async revoke(id: number): Promise<boolean> {
      const done = await db
        .update(tokens)
        .set({ revokedAt: now() })
        .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
        .returning({ id: tokens.id });
      return done.length > 0;
    },

    /** The live token with this id, or null: admin page sessions end when their token is revoked. */
    async liveById(id: number): Promise<TokenInfo | null> {
      const [row] = await db
        .select({ id: tokens.id, name: tokens.name, createdAt: tokens.createdAt, lastUsedAt: tokens.lastUsedAt })
        .from(tokens)
        .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)));
      return row ?? null;
    },

    /**
     * The key that signs admin page sessions. The first caller's candidate is stored; every
     * later call (any process, any runtime) gets that same stored key back.
     */
    async sessionKey(candidate: string): Promise<string> {
      await db.insert(settings).values({ key: SESSION_KEY_SETTING, value: candidate }).onConflictDoNothing({ target: settings.key });
      const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SESSION_KEY_SETTING));
      return row!.value;
    },

    /** When the admin pages were last signed out for this token (ms); sessions issued before are void. */
    async signedOutAt(id: number): Promise<number> {
      const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, `admin.signed_out.${id}`));
      return row ? Number(row.value) : 0;
    },

    async signOut(id: number): Promise<void> {
      const at = String(now().getTime());
      await db.insert(settings).values({ key: `admin.signed_out.${id}`, value: at }).onConflictDoUpdate({ target: settings.key, set: { value: at } });
    },

    async touch(id: number): Promise<void> {
      await db.update(tokens).set({ lastUsedAt: now() }).where(eq(tokens.id, id));
    },
  };
}

export type TokenRepo = ReturnType<typeof tokenRepo>;
