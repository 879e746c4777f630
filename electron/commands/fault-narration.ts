// What `siaga agent` prints without --verbose: one line when a fault opens, when the district has
// received it, when it resolves, and when the district has received the resolution. It compares
// the store's fault list with the last one it saw; faults already there at start are not news.
import { roleName, translator } from '../../protocol/i18n';
import type { Language } from '../../protocol/i18n';
import { formatClock } from '../../protocol/local-time';
import type { Role } from '../../protocol/roles';
import type { FaultRecord } from '../agent/store/store';

/** Per fault: resolved or not, and whether the district has its latest event. */
type Seen = Map<string, { resolved: boolean; delivered: boolean }>;

export class FaultNarration {
  private seen: Seen | null = null;
  private readonly t;

  constructor(
    private readonly language: Language,
    /** The zone the times are written in; undefined: this computer's. */
    private readonly timeZone?: string,
  ) {
    this.t = translator('cli', language);
  }

  /** The faults already there when the agent starts: not news. */
  begin(faults: readonly FaultRecord[]): void {
    this.seen = null;
    this.update(faults, new Date());
  }

  /** The lines for what changed since the last call; none on the first (the starting point). */
  update(faults: readonly FaultRecord[], now: Date): string[] {
    const next: Seen = new Map(
      faults.map((fault) => [
        fault.faultId,
        { resolved: fault.resolvedAt !== null, delivered: fault.delivery === 'reported' },
      ]),
    );
    const previous = this.seen;
    this.seen = next;
    if (previous === null) {
      return [];
    }
    // Formatted only when there is news: Intl's time-zone data costs an idle agent about 8 MB of RSS.
    let time: string | undefined;
    const lines: string[] = [];
    // Oldest first, so a fault's lines read in the order things happened.
    for (const fault of [...faults].reverse()) {
      const before = previous.get(fault.faultId);
      const after = next.get(fault.faultId)!;
      const unchanged =
        before !== undefined && before.resolved === after.resolved && before.delivered === after.delivered;
      if (unchanged) {
        continue;
      }
      time ??= formatClock(this.language, now.toISOString(), this.timeZone);
      const params = {
        time,
        device: roleName(fault.role as Role)[this.language],
        code: fault.code,
        severity: this.t.word('severity', fault.payload.severity),
      };
      const reopened = before !== undefined && before.resolved && !after.resolved;
      if (before === undefined || reopened) {
        lines.push(this.t('agentOpened', params));
      }
      if (after.resolved && (before === undefined || !before.resolved)) {
        lines.push(this.t('agentResolved', params));
      }
      const newlyDelivered = after.delivered && (before === undefined || !before.delivered || reopened);
      if (newlyDelivered) {
        lines.push(this.t(after.resolved ? 'agentResolvedDelivered' : 'agentDelivered', params));
      }
    }
    return lines;
  }
}
