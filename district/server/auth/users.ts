// Staff accounts (table users). `siaga-district user add` creates them.
import type { User } from '../../dash-api';
import type { Db } from '../db/types';
import { newId } from '../db/ids';
import { ConflictError } from '../errors';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';
import type { ScryptParameters } from './password';
import { StaffRoleSchema } from './roles';

export type { User } from '../../dash-api';

interface UserRow {
  id: string;
  username: string;
  name: string;
  email: string | null;
  role: string;
  password_hash: string;
}

/** A user that cannot be added as asked: a bad username, role or password, or the username is taken (409). */
export class UserError extends ConflictError {}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,49}$/;

export function toUser(row: Pick<UserRow, 'id' | 'username' | 'name' | 'email' | 'role'>): User {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    role: StaffRoleSchema.parse(row.role),
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
  };
  await db.run(
    'INSERT INTO users (id, username, name, email, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      id,
      username,
      user.name,
      user.email,
      user.role,
      passwordHash,
      new Date(input.nowMs ?? Date.now()).toISOString(),
    ],
  );
  return user;
}

/** The user if the password is right and the account is active; null otherwise (same answer for both, no user enumeration). */
export async function authenticate(db: Db, username: string, password: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(
    'SELECT id, username, name, email, role, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL',
    [username.trim().toLowerCase()],
  );
  // Without a user we still spend one hash, so the answer time does not reveal which usernames exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row !== undefined && ok ? toUser(row) : null;
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.query<UserRow>(
    'SELECT id, username, name, email, role FROM users WHERE disabled_at IS NULL ORDER BY username',
  );
  return rows.map(toUser);
}

// A valid hash of a random password at the default parameters.
const DUMMY_HASH = 'scrypt$131072$8$1$5jhIzyf7QlfhmeWWX5F6Ag==$B8QFI+iLB/kVPQnzzQuOf/zJ1KBlKbSRXqcPv1w/IV8=';
