// Fault lifecycle: turns a stream of check verdicts into fault transitions, as pure functions.
//
// A fault key is role + code (+ device key). For each check:
// - a verdict with that key and status fault or warning is a *failure* of the key;
// - a key not failing, whose role was checked with no `unknown` verdict, gets a *pass*
//   (the role is ok, in use, or now fails for another reason, which is another key);
// - a role not checked at all, or checked with an `unknown` verdict, is neither.
// A key opens after `debounceCount` consecutive failures spanning at least `debounceMs`; an open
// fault resolves after `passesToResolve` consecutive passes. A fault that would resolve while its key
// already toggled `flapToggles` times within `flapWindowMs` stays open and is marked *flapping*
// (one fault instead of a storm); it resolves once it has passed for `flapQuietMs`. A key that opens
// within `recurringWindowMs` of its last resolution opens a new fault marked *recurring*.
// Each transition yields one event payload; the caller commits the new state and the events in one
// transaction and only then adopts the new state.
import type { FaultPayload } from '../../protocol/events';
import type { Role, Status, Verdict } from '../../protocol/verdict';

export interface FaultPolicy {
  /** Consecutive failing checks before a fault opens. */
  debounceCount: number;
  /** And the failures must span at least this long (ms); 0 = count only. */
  debounceMs: number;
  /** Consecutive passing checks before an open fault resolves. */
  passesToResolve: number;
  /** Window in which open/resolve transitions are counted for flapping. */
  flapWindowMs: number;
  /** Transitions within the window that make a fault flapping. */
  flapToggles: number;
  /** A flapping fault resolves only after passing for this long. */
  flapQuietMs: number;
  /** A fault reopening this soon after being resolved is recurring (the repair did not hold). */
  recurringWindowMs: number;
}

export const DEFAULT_FAULT_POLICY: FaultPolicy = {
  debounceCount: 2,
  debounceMs: 0,
  passesToResolve: 3,
  flapWindowMs: 60 * 60_000,
  flapToggles: 4,
  flapQuietMs: 30 * 60_000,
  recurringWindowMs: 7 * 24 * 60 * 60_000,
};

export type FaultPhase = 'clear' | 'pending' | 'open';

/** Everything the lifecycle remembers about one key, across its openings. Persisted as JSON. */
export interface TrackedFault {
  key: string;
  role: Role;
  code: string;
  phase: FaultPhase;
  /** Consecutive failures while pending, and when the first of them was seen (ms). */
  failStreak: number;
  pendingSince: number | null;
  passStreak: number;
  /** Last failure (ms). */
  lastFailAt: number | null;
  /** Times (ms) of open and resolve transitions within the flap window. */
  transitions: number[];
  lastResolvedAt: number | null;
  /** The current (or last) opening: the payload the district knows. */
  fault: FaultPayload | null;
}

export type FaultEventType = 'fault.opened' | 'fault.updated' | 'fault.resolved';

export interface FaultTransition {
  type: FaultEventType;
  key: string;
  payload: FaultPayload;
}

export interface EvaluateResult {
  /** Tracks whose state changed (to be written). */
  changed: TrackedFault[];
  transitions: FaultTransition[];
}

export function faultKey(role: Role, code: string, deviceKey?: string): string {
  return deviceKey ? `${role}|${code}|${deviceKey}` : `${role}|${code}`;
}

const isFailing = (status: Status) => status === 'fault' || status === 'warning';

interface Failure {
  verdict: Verdict & { role: Role };
  status: Status;
}

/**
 * One check's verdicts applied to the tracked faults. `tracks` is not modified; `newFaultId`
 * names a new opening. `nowMs` is the check's time.
 */
export function evaluate(
  tracks: ReadonlyMap<string, TrackedFault>,
  verdicts: readonly Verdict[],
  nowMs: number,
  policy: FaultPolicy,
  newFaultId: () => string,
): EvaluateResult {
  const failures = new Map<string, Failure>();
  const checkedRoles = new Set<Role>();
  const uncertainRoles = new Set<Role>();
  for (const verdict of verdicts) {
    if (verdict.role === null) {
      continue;
    }
    checkedRoles.add(verdict.role);
    if (verdict.status === 'unknown') {
      uncertainRoles.add(verdict.role);
    } else if (isFailing(verdict.status)) {
      failures.set(faultKey(verdict.role, verdict.code, verdict.device?.key), {
        verdict: verdict as Verdict & { role: Role },
        status: verdict.status,
      });
    }
  }
  const changed: TrackedFault[] = [];
  const transitions: FaultTransition[] = [];
  const time = new Date(nowMs).toISOString();

  for (const [key, failure] of failures) {
    const before = tracks.get(key);
    const track: TrackedFault = before ? cloneTrack(before) : newTrack(key, failure.verdict);
    track.lastFailAt = nowMs;
    track.passStreak = 0;
    if (track.phase === 'open' && track.fault) {
      const previous = track.fault;
      const next: FaultPayload = {
        ...previous,
        severity: failure.verdict.severity,
        status: failure.status,
        message: failure.verdict.message,
        device: failure.verdict.device ?? previous.device,
        lastSeen: time,
        occurrences: previous.occurrences + 1,
      };
      track.fault = next;
      // Only a change the district acts on is an event; a repeated failure only counts.
      if (previous.severity !== next.severity || previous.status !== next.status) {
        transitions.push({ type: 'fault.updated', key, payload: next });
      }
    } else {
      if (track.phase === 'clear') {
        track.phase = 'pending';
        track.failStreak = 0;
        track.pendingSince = nowMs;
      }
      track.failStreak++;
      const since = track.pendingSince ?? nowMs;
      if (track.failStreak >= policy.debounceCount && nowMs - since >= policy.debounceMs) {
        openTrack(track, failure, since, nowMs, policy, newFaultId());
        transitions.push({ type: 'fault.opened', key, payload: track.fault! });
      }
    }
    changed.push(track);
  }

  for (const [key, before] of tracks) {
    if (failures.has(key) || before.phase === 'clear') {
      continue;
    }
    if (!checkedRoles.has(before.role) || uncertainRoles.has(before.role)) {
      continue;
    }
    const track = cloneTrack(before);
    if (track.phase === 'pending') {
      track.phase = 'clear';
      track.failStreak = 0;
      track.pendingSince = null;
      changed.push(track);
      continue;
    }
    track.passStreak++;
    changed.push(track);
    if (track.passStreak < policy.passesToResolve || !track.fault) {
      continue;
    }
    pruneTransitions(track, nowMs, policy);
    const wouldFlap = track.transitions.length + 1 >= policy.flapToggles;
    if (track.fault.flapping || wouldFlap) {
      if (!track.fault.flapping) {
        track.fault = { ...track.fault, flapping: true };
        transitions.push({ type: 'fault.updated', key, payload: track.fault });
        continue;
      }
      if (track.lastFailAt !== null && nowMs - track.lastFailAt < policy.flapQuietMs) {
        continue;
      }
    }
    track.fault = { ...track.fault, status: 'ok', lastSeen: track.fault.lastSeen };
    track.phase = 'clear';
    track.passStreak = 0;
    track.failStreak = 0;
    track.pendingSince = null;
    track.lastResolvedAt = nowMs;
    track.transitions.push(nowMs);
    transitions.push({ type: 'fault.resolved', key, payload: track.fault });
  }
  return { changed, transitions };
}

/**
 * Opens a fault at once, without debounce: for conditions the agent knows of itself (its database
 * was corrupt and replaced, its disk was full). It resolves like any other fault.
 */
export function openImmediately(
  tracks: ReadonlyMap<string, TrackedFault>,
  verdict: Verdict & { role: Role },
  nowMs: number,
  policy: FaultPolicy,
  faultId: string,
): EvaluateResult {
  const key = faultKey(verdict.role, verdict.code, verdict.device?.key);
  const before = tracks.get(key);
  if (before?.phase === 'open') {
    return { changed: [], transitions: [] };
  }
  const track = before ? cloneTrack(before) : newTrack(key, verdict);
  track.lastFailAt = nowMs;
  openTrack(track, { verdict, status: verdict.status }, nowMs, nowMs, policy, faultId);
  return { changed: [track], transitions: [{ type: 'fault.opened', key, payload: track.fault! }] };
}

function openTrack(
  track: TrackedFault,
  failure: Failure,
  since: number,
  nowMs: number,
  policy: FaultPolicy,
  faultId: string,
): void {
  pruneTransitions(track, nowMs, policy);
  const recurring = track.lastResolvedAt !== null && nowMs - track.lastResolvedAt <= policy.recurringWindowMs;
  track.transitions.push(nowMs);
  track.phase = 'open';
  track.passStreak = 0;
  track.fault = {
    faultId,
    role: failure.verdict.role,
    device: failure.verdict.device ?? null,
    code: failure.verdict.code,
    severity: failure.verdict.severity,
    status: failure.status,
    message: failure.verdict.message,
    firstSeen: new Date(since).toISOString(),
    lastSeen: new Date(nowMs).toISOString(),
    occurrences: Math.max(1, track.failStreak),
    flapping: track.transitions.length >= policy.flapToggles,
    recurring,
  };
}

function newTrack(key: string, verdict: Verdict & { role: Role }): TrackedFault {
  return {
    key,
    role: verdict.role,
    code: verdict.code,
    phase: 'clear',
    failStreak: 0,
    pendingSince: null,
    passStreak: 0,
    lastFailAt: null,
    transitions: [],
    lastResolvedAt: null,
    fault: null,
  };
}

function cloneTrack(track: TrackedFault): TrackedFault {
  return { ...track, transitions: [...track.transitions], fault: track.fault ? { ...track.fault } : null };
}

function pruneTransitions(track: TrackedFault, nowMs: number, policy: FaultPolicy): void {
  track.transitions = track.transitions.filter((time) => nowMs - time <= policy.flapWindowMs);
}

/** Whether any key is waiting for debounce confirmation: the agent then re-checks soon. */
export function hasPending(tracks: Iterable<TrackedFault>): boolean {
  for (const track of tracks) {
    if (track.phase === 'pending') {
      return true;
    }
  }
  return false;
}
