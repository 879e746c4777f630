// Reading a JSON configuration file (station profile, device catalog) against its zod schema:
// every failure is one error naming the file and the first bad field, never a crash.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    message: string,
    /** Dotted path of the offending field, e.g. "roles.ups.serial.baudRate"; "" for the whole file. */
    readonly field: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

type ErrorClass = new (message: string, field: string) => ConfigError;

/** Validates parsed JSON; throws `Failure` naming the first bad field. */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  source: string,
  Failure: ErrorClass,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new Failure(`${source}: field "${field || '(root)'}": ${issue.message}`, field);
}

/** Reads a JSON file; throws `Failure` when it cannot be read or is not JSON. */
export function readJsonFile(path: string, Failure: ErrorClass): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Failure(`${path}: cannot read: ${(error as Error).message}`, '');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Failure(`${path}: not valid JSON: ${(error as Error).message}`, '');
  }
}
