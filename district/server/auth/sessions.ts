// Login sessions: a random token in an HttpOnly, SameSite=Strict cookie; the database keeps only
// its SHA-256. Each session has its own CSRF token, which the dashboard sends in the
// `x-csrf-token` header of every state-changing request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionInfo, User } from '../../dash-api';
import type { Db } from '../db/types';
import { toUser } from './users';

export const SESSION_COOKIE = 'siaga_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session lasts this long after login (one working day and a night). */
export const SESSION_LIFETIME_MS = 16 * 60 * 60 * 1000;

/** A signed-in staff member's session: what GET /api/dash/session answers. */
export type Session = SessionInfo;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createSession(
  db: Db,
  user: User,
  nowMs: number,
): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(nowMs + SESSION_LIFETIME_MS).toISOString();
  await db.run('DELETE FROM sessions WHERE expires_at < $1', [new Date(nowMs).toISOString()]);
  await db.run(
    'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hashToken(token), user.id, csrfToken, new Date(nowMs).toISOString(), expiresAt],
  );
  return { token, session: { user, csrfToken, expiresAt } };
}

export async function findSession(db: Db, token: string, nowMs: number): Promise<Session | null> {
  const [row] = await db.query<{
    id: string;
    username: string;
    name: string;
    email: string | null;
    role: string;
    scope_level: string;
    scope_code: string;
    csrf_token: string;
    expires_at: string;
  }>(
    `SELECT u.id, u.username, u.name, u.email, u.role, u.scope_level, u.scope_code, s.csrf_token, s.expires_at FROM sessions s
     JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [hashToken(token), new Date(nowMs).toISOString()],
  );
  return row === undefined
    ? null
    : { user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') {
    return false;
  }
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The session cookie's value from a Cookie header, if any. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      return rest.join('=') || null;
    }
  }
  return null;
}

export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
