// Verdicts the agent cannot measure itself but is told about: the kiosk's analysis of camera frames
// (getUserMedia runs in the renderer). The latest one per role is kept with its time and goes into
// every check, passive or active, so the fault lifecycle opens, re-confirms and resolves it like any
// other verdict.
//
// Ageing: an observation counts for its TTL. After that nobody has looked at the picture again, so
// the agent no longer knows: a stale ok simply drops out (the role's own probes speak), a stale
// failure becomes `unknown` (ROLE_VERDICT_STALE), which neither re-confirms nor resolves an open
// fault, and never opens one. Kept in the store's meta so a restart does not forget an open fault's
// evidence and resolve it on USB alone.
import type { Role, Verdict } from '../../../protocol/verdict';
import { VerdictSchema } from '../../../protocol/verdict';
import { severityOf } from '../../../protocol/rules';
import { describe, roleCode } from '../messages';
import { META, readMeta, writeMeta } from '../store/meta';
import type { Store } from '../store/store';

/** How long a reported camera verdict counts by default (ms). */
export const OBSERVED_VERDICT_TTL_MS = 10 * 60_000;


interface Observation {
  verdict: Verdict & { role: Role };
  /** Local clock (ms) when it was reported, and how long it counts. */
  at: number;
  ttlMs: number;
}

export class ObservedVerdicts {
  private readonly latest = new Map<Role, Observation>();

  constructor(private readonly now: () => number) {}

  /** Remembers `verdict` as its role's latest observation; throws on a verdict without a role. */
  report(verdict: Verdict, ttlMs: number, store: Store | null): void {
    const valid = VerdictSchema.parse(verdict);
    if (valid.role === null) {
      throw new Error('an observed verdict needs a role');
    }
    if (!(ttlMs > 0)) {
      throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    }
    this.latest.set(valid.role, { verdict: { ...valid, role: valid.role }, at: this.now(), ttlMs });
    this.save(store);
  }

  /** The latest observation of `role` while it counts, with its age in its measurements. */
  fresh(role: Role): Verdict | undefined {
    const observation = this.latest.get(role);
    if (!observation) {
      return undefined;
    }
    const ageMs = Math.max(0, this.now() - observation.at);
    return ageMs <= observation.ttlMs ? withAge(observation.verdict, ageMs) : undefined;
  }

  /** What goes into a check now: fresh observations as they are, stale failures as unknown. */
  forCheck(): Verdict[] {
    const verdicts: Verdict[] = [];
    for (const [role, observation] of this.latest) {
      const ageMs = Math.max(0, this.now() - observation.at);
      const { verdict } = observation;
      if (ageMs <= observation.ttlMs) {
        verdicts.push(withAge(verdict, ageMs));
      } else if (verdict.status === 'fault' || verdict.status === 'warning') {
        const code = roleCode(role, 'VERDICT_STALE');
        verdicts.push({
          ...verdict,
          status: 'unknown',
          code,
          severity: severityOf(code, 'unknown', role),
          ...describe(code, role),
          measurements: { lastCode: verdict.code, lastCheckedAt: verdict.checkedAt, ageMs },
        });
      }
    }
    return verdicts;
  }

  /** Takes over what a (re)opened store remembers; a newer in-memory report wins. */
  load(store: Store): void {
    for (const entry of readMeta(store, META.observedVerdicts) as (Partial<Observation> | null)[]) {
      const parsed = VerdictSchema.safeParse(entry?.verdict);
      if (!entry || !parsed.success || parsed.data.role === null || typeof entry.at !== 'number') {
        continue;
      }
      const role = parsed.data.role;
      if ((this.latest.get(role)?.at ?? -Infinity) < entry.at) {
        this.latest.set(role, {
          verdict: { ...parsed.data, role },
          at: entry.at,
          ttlMs: typeof entry.ttlMs === 'number' ? entry.ttlMs : OBSERVED_VERDICT_TTL_MS,
        });
      }
    }
  }

  private save(store: Store | null): void {
    try {
      if (store) {
        writeMeta(store, META.observedVerdicts, [...this.latest.values()]);
      }
    } catch {
      // A full disk: memory still has it; the storage fault is reported by the next check's write.
    }
  }
}

function withAge(verdict: Verdict, ageMs: number): Verdict {
  return { ...verdict, measurements: { ...verdict.measurements, ageMs } };
}
