// Runs the district's `siaga-district` command in process (district/commands main) and collects
// what it printed, as a district technician would see it.
import { PassThrough } from 'node:stream';
import { main } from '../../district/commands';

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runDistrictCommand(argv: string[]): Promise<CommandOutput> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
