// `siaga-district user add`: a staff account for the dashboard. The password comes from
// $SIAGA_PASSWORD or one line on stdin, never an argument (it would show in `ps`).
import { createInterface } from 'node:readline';
import { UsageError, writeLine } from '../../cli/command';
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
    'user add --username U --role viewer|technician|admin [--name N] [--email E] [--json]   (password: $SIAGA_PASSWORD or stdin)',
  options: {
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
    const password = await readPassword(io);
    const user = await withDb(values, (db) =>
      addUser(db, { username, name: values.name ?? username, email: values.email ?? null, role, password }),
    );
    writeLine(io.stdout, values.json ? JSON.stringify(user) : `user ${user.username} (${user.role}) added`);
    return 0;
  },
});
