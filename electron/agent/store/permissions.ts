// Who may read the station's data folder: it holds the private key (identity.json), the technician
// PIN hash and operators' NIPs (daily check sign-offs), so only the account the app runs as, SYSTEM
// and Administrators may.
//
// Contract:
// - Linux/macOS: the folder is created 0700 and its files 0600; `secureDataFolder` takes group and
//   other bits off anything wider at start (files and subfolders, symlinks are not followed) and reports what it could not
//   narrow (another owner, a read-only file system).
// - Windows: the installer sets the ACL (resources/build/installer.nsh); the app reads it with
//   `icacls` and reports every principal beyond SYSTEM, Administrators and the running account.
//   Names are matched in English and by SID, because icacls prints names localised.
// - Nothing here throws: an unreadable folder is reported as such.
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

export interface FolderExposure {
  /** What is readable by others than allowed, one line each (path and mode, or principal and rights). */
  open: string[];
  /** What was narrowed now (POSIX only). */
  fixed: string[];
}

/** Creates the data folder owner-only (an existing one keeps its mode; `secureDataFolder` narrows it). */
export function makeDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
}

/** Checks (and on POSIX narrows) who can read the data folder. */
export function secureDataFolder(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  runIcacls: (folder: string) => string = icacls,
): FolderExposure {
  if (platform === 'win32') {
    try {
      return { open: aclProblems(parseIcacls(runIcacls(dataDir), dataDir), windowsAccount()), fixed: [] };
    } catch (error) {
      return { open: [`icacls ${dataDir}: ${(error as Error).message}`], fixed: [] };
    }
  }
  const exposure: FolderExposure = { open: [], fixed: [] };
  narrow(dataDir, exposure);
  return exposure;
}

function narrow(target: string, exposure: FolderExposure): void {
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    exposure.open.push(`${target}: ${(error as Error).message}`);
    return;
  }
  if (stats.isSymbolicLink()) {
    return;
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    try {
      chmodSync(target, mode & ~0o077);
      exposure.fixed.push(`${target} ${octal(mode)} -> ${octal(mode & ~0o077)}`);
    } catch (error) {
      exposure.open.push(
        `${target} ${octal(mode)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  if (stats.isDirectory()) {
    let names: string[] = [];
    try {
      names = readdirSync(target);
    } catch (error) {
      exposure.open.push(`${target}: ${(error as Error).message}`);
    }
    for (const name of names) {
      narrow(path.join(target, name), exposure);
    }
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

// ---- Windows ----------------------------------------------------------------------------------

export interface AclEntry {
  principal: string;
  /** The parenthesised flags as printed, e.g. ['I', 'OI', 'CI', 'RX']. */
  flags: string[];
}

/**
 * Parses `icacls FOLDER` output: the first line starts with the folder, every entry is
 * `PRINCIPAL:(FLAG)(FLAG)...`, and the last line is a (localised) summary, ignored.
 */
export function parseIcacls(output: string, folder: string): AclEntry[] {
  const entries: AclEntry[] = [];
  const lines = output.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    let line = rawLine;
    if (index === 0) {
      if (!line.toLowerCase().startsWith(folder.toLowerCase())) {
        throw new Error(`unexpected icacls output: ${line.slice(0, 200)}`);
      }
      line = line.slice(folder.length);
    }
    const match = /^\s*(\S.*?):((?:\([A-Z,]+\))+)\s*$/.exec(line);
    if (match) {
      entries.push({
        principal: match[1]!,
        flags: [...match[2]!.matchAll(/\(([A-Z,]+)\)/g)].map((m) => m[1]!),
      });
    }
  }
  if (entries.length === 0) {
    throw new Error('icacls listed no access entries');
  }
  return entries;
}

/** SYSTEM and Administrators, by English name and by SID. */
const ALWAYS_ALLOWED = ['nt authority\\system', 's-1-5-18', 'builtin\\administrators', 's-1-5-32-544'];

/** Entries granting access to anyone but SYSTEM, Administrators and `account` (DOMAIN\user). */
export function aclProblems(entries: readonly AclEntry[], account: string | null): string[] {
  const allowed = new Set([...ALWAYS_ALLOWED, ...(account ? [account.toLowerCase()] : [])]);
  return entries
    .filter((entry) => !entry.flags.includes('DENY'))
    .filter((entry) => !allowed.has(entry.principal.toLowerCase()))
    .map((entry) => `${entry.principal}:${entry.flags.map((flag) => `(${flag})`).join('')}`);
}

function windowsAccount(): string | null {
  const user = process.env.USERNAME;
  if (!user) {
    return null;
  }
  return process.env.USERDOMAIN ? `${process.env.USERDOMAIN}\\${user}` : user;
}

function icacls(folder: string): string {
  return execFileSync('icacls', [folder], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
}
