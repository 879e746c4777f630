// What the agent does with the district's replies (see outbox.ts for how they arrive).
//
// Contract: a `rerun-checks` command (a person at the district asked to verify a repair) is acted on
// once per command id, even when a later reply repeats it (the last 100 ids are remembered). It owes
// an active check, paid by the next active check recording allows, and asks for a check at once. It
// also starts verification: after each check with no fault waiting for debounce, `continueVerifying`
// asks for another while an open fault is passing (on its way to resolving), at most
// passesToResolve + 1 times. Changes of the district's state of faults are passed on as they are.
import type { Command } from '../../../protocol/requests';
import type { TrackedFault } from '../faults';

export interface DistrictRepliesOptions {
  /** Consecutive passes that resolve a fault (FaultPolicy). */
  passesToResolve: number;
  /** Schedules a check now, active if allowed. */
  checkNow: () => void;
  /** The district's state of these faults changed (already stored). */
  faultsChanged: (faultIds: string[]) => void;
  log: (line: string) => void;
}

const REMEMBERED_COMMANDS = 100;

export class DistrictReplies {
  private readonly seenCommands: string[] = [];
  private owed = false;
  /** Follow-up checks left to confirm a repair the district asked to verify. */
  private verifyChecksLeft = 0;

  constructor(private readonly options: DistrictRepliesOptions) {}

  /** An active check is owed (the district asked) and waits until one is allowed. */
  get activeOwed(): boolean {
    return this.owed;
  }

  /** An active check ran: nothing is owed any more. */
  activeCheckDone(): void {
    this.owed = false;
  }

  onCommands(commands: readonly Command[]): void {
    for (const command of commands) {
      if (this.seenCommands.includes(command.id)) {
        continue;
      }
      this.seenCommands.push(command.id);
      if (this.seenCommands.length > REMEMBERED_COMMANDS) {
        this.seenCommands.shift();
      }
      if (command.type === 'rerun-checks') {
        // A person at the district asked: an active check is justified, once recording allows it.
        this.options.log(`district asked to re-run the checks (${command.id})`);
        this.owed = true;
        this.verifyChecksLeft = this.options.passesToResolve + 1;
        this.options.checkNow();
      }
    }
  }

  onDistrictFaults(faultIds: string[]): void {
    this.options.faultsChanged(faultIds);
  }

  /** After a check with no fault pending: whether verifying a repair wants another check. */
  continueVerifying(tracks: Iterable<TrackedFault>): boolean {
    if (this.verifyChecksLeft <= 0) {
      return false;
    }
    this.verifyChecksLeft = hasResolving(tracks) ? this.verifyChecksLeft - 1 : 0;
    return this.verifyChecksLeft > 0;
  }
}

/** Whether an open fault is passing now, that is on its way to resolving. */
function hasResolving(tracks: Iterable<TrackedFault>): boolean {
  for (const track of tracks) {
    if (track.phase === 'open' && track.passStreak > 0) {
      return true;
    }
  }
  return false;
}
