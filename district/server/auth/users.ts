// Staff accounts (table users). `siaga-district user add` creates them.
import type { Scope, User } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { newId } from '../db/ids';
import { ConflictError } from '../errors';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';
import type { ScryptParameters } from './password';
import { StaffRoleSchema } from './roles';
import { DEFAULT_DISTRICT, scopeCondition } from '../tenancy/scope';

export type { User } from '../../dash-api';

interface UserRow {
  id: string;
  username: string;
  name: string;
  email: string | null;
  role: string;
  password_hash: string;
  scope_level: string;
  scope_code: string;
}

/** The user's scope from its two columns; an unknown level reads as the narrowest (its district). */
function scopeOf(row: Pick<UserRow, 'scope_level' | 'scope_code'>): Scope {
  return row.scope_level === 'national'
    ? { level: 'national' }
    : row.scope_level === 'province'
      ? { level: 'province', code: row.scope_code }
      : { level: 'district', code: row.scope_code };
}

const USER_COLUMNS = 'id, username, name, email, role, scope_level, scope_code';

/** A user that cannot be added as asked: a bad username, role or password, or the username is taken (409). */
export class UserError extends ConflictError {}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,49}$/;

export function toUser(
  row: Pick<UserRow, 'id' | 'username' | 'name' | 'email' | 'role' | 'scope_level' | 'scope_code'>,
): User {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    role: StaffRoleSchema.parse(row.role),
    scope: scopeOf(row),
  };
}

export async function addUser(
  db: Db,
  input: {
    username: string;
    name: string;
    email?: string | null;
    role: string;
    password: string;
    nowMs?: number;
    /** Default: the default district (a district running its own server). */
    scope?: Scope;
  },
  scryptParameters?: ScryptParameters,
): Promise<User> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new UserError('a username is 2-50 characters: lower-case letters, digits, dot, dash, underscore');
  }
  const role = StaffRoleSchema.safeParse(input.role);
  if (!role.success) {
    throw new UserError(`role must be one of viewer, technician, admin (got ${input.role})`);
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const id = `u-${newId(input.nowMs).toLowerCase()}`;
  const passwordHash = await hashPassword(input.password, scryptParameters);
  const existing = await db.query('SELECT id FROM users WHERE username = $1', [username]);
  if (existing.length > 0) {
    throw new UserError(`user ${username} exists already`);
  }
  const user: User = {
    id,
    username,
    name: input.name.trim() || username,
    email: input.email ?? null,
    role: role.data,
    scope: input.scope ?? { level: 'district', code: DEFAULT_DISTRICT },
  };
  await db.run(
    `INSERT INTO users (id, username, name, email, role, password_hash, created_at, scope_level, scope_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      username,
      user.name,
      user.email,
      user.role,
      passwordHash,
      new Date(input.nowMs ?? Date.now()).toISOString(),
      user.scope.level,
      user.scope.level === 'national' ? '' : user.scope.code,
    ],
  );
  return user;
}

/** The user if the password is right and the account is active; null otherwise (same answer for both, no user enumeration). */
export async function authenticate(db: Db, username: string, password: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL`,
    [username.trim().toLowerCase()],
  );
  // Without a user we still spend one hash, so the answer time does not reveal which usernames exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row !== undefined && ok ? toUser(row) : null;
}

/**
 * Active users; with a scope, those whose own scope lies within it (a district admin sees its
 * district's staff, not the province's or the nation's).
 */
export async function listUsers(db: Db, scope?: Scope): Promise<User[]> {
  const params: SqlValue[] = [];
  const within =
    scope === undefined || scope.level === 'national'
      ? ''
      : scope.level === 'district'
        ? ` AND scope_level = 'district'${scopeCondition(scope, 'scope_code', params)}`
        : ` AND ((scope_level = 'province' AND scope_code = $${params.push(scope.code)})
             OR (scope_level = 'district'${scopeCondition(scope, 'scope_code', params)}))`;
  const rows = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE disabled_at IS NULL${within} ORDER BY username`,
    params,
  );
  return rows.map(toUser);
}

// A valid hash of a random password at the default parameters.
const DUMMY_HASH = 'scrypt$131072$8$1$5jhIzyf7QlfhmeWWX5F6Ag==$B8QFI+iLB/kVPQnzzQuOf/zJ1KBlKbSRXqcPv1w/IV8=';
