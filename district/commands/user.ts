// `siaga-district user add`: a staff account for the dashboard. The password comes from
// $SIAGA_PASSWORD or one line on stdin, never an argument (it would show in `ps`).
import { createInterface } from 'node:readline';
import { UsageError, writeLine } from '../../cli/command';
import type { Scope } from '../dash-api';
import { addUser } from '../server/auth/users';
import { defineCommand, noPositionals, withDb } from './io';

async function readPassword(io: { stderr: NodeJS.WritableStream }): Promise<string> {
  if (process.env.SIAGA_PASSWORD !== undefined) {
    return process.env.SIAGA_PASSWORD;
  }
  if (process.stdin.isTTY) {
    io.stderr.write('password: ');
  }
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

export const userAdd = defineCommand({
  usage:
    'user add --username U --role viewer|technician|admin [--district CODE | --province CODE | --national] [--name N] [--email E] [--json]   (password: $SIAGA_PASSWORD or stdin)',
  options: {
    district: { type: 'string' },
    province: { type: 'string' },
    national: { type: 'boolean', default: false },
    username: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const { username, role } = values;
    if (username === undefined || role === undefined) {
      throw new UsageError('user add needs --username and --role');
    }
    const scopes = [values.district !== undefined, values.province !== undefined, values.national].filter(Boolean);
    if (scopes.length > 1) {
      throw new UsageError('user add takes one of --district, --province and --national');
    }
    const scope: Scope | undefined =
      values.district !== undefined
        ? { level: 'district', code: values.district }
        : values.province !== undefined
          ? { level: 'province', code: values.province }
          : values.national
            ? { level: 'national' }
            : undefined;
    const password = await readPassword(io);
    const user = await withDb(values, async (db) => {
      if (scope !== undefined && scope.level !== 'national') {
        const table = scope.level === 'district' ? 'districts' : 'provinces';
        if ((await db.query(`SELECT code FROM ${table} WHERE code = $1`, [scope.code])).length === 0) {
          throw new UsageError(`no ${scope.level} ${scope.code}`);
        }
      }
      return addUser(db, { username, name: values.name ?? username, email: values.email ?? null, role, password, scope });
    });
    writeLine(io.stdout, values.json ? JSON.stringify(user) : `user ${user.username} (${user.role}) added`);
    return 0;
  },
});
