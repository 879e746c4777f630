// The shapes of the dashboard API's answers, as the browser sees them (district/routes/api/dash).
// Kept apart from the server modules, which are Node code.
export type StaffRole = 'viewer' | 'technician' | 'admin';
export interface User {
  id: string;
  username: string;
  name: string;
  email: string | null;
  role: StaffRole;
}
export interface SessionInfo {
  user: User;
  csrfToken: string;
  expiresAt: string;
}
export interface Text {
  id: string;
  en: string;
}
export interface FaultDevice {
  key: string;
  vendor?: string;
  model?: string;
  serialNumber?: string;
}
export type FaultState = 'open' | 'acknowledged' | 'in-repair' | 'resolved' | 'closed';
export interface Fault {
  stationId: string;
  stationName: string;
  kecamatan: string;
  faultId: string;
  role: string;
  code: string;
  severity: string;
  state: FaultState;
  message: Text;
  device: FaultDevice | null;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  occurrences: number;
  flapping: boolean;
  recurring: boolean;
  reopenCount: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  repairNote: string | null;
  closedAt: string | null;
  closedBy: string | null;
  ageHours: number;
}
export interface FaultDetail extends Fault {
  history: { at: string; kind: string; actor: string | null; detail: Record<string, unknown> }[];
  verificationPending: boolean;
}
export interface StationProblem {
  role: string;
  status: string;
  blocks: 'recording' | 'printing' | null;
  fault: Fault | null;
}
export interface StationStatus {
  stationId: string;
  name: string;
  kecamatan: string;
  enrolled: boolean;
  lastHeardAt: string | null;
  silent: boolean;
  canRecord: boolean;
  canPrint: boolean;
  appVersion: string | null;
  queueDepth: number | null;
  problems: StationProblem[];
  activeFaults: number;
}
export interface KecamatanStatus {
  name: string;
  canRecord: boolean;
  canPrint: boolean;
  stationsAbleToRecord: number;
  stations: StationStatus[];
}
export interface Board {
  generatedAt: string;
  heartbeatWindowMs: number;
  kecamatan: KecamatanStatus[];
}
export interface PublicBoard {
  generatedAt: string;
  kecamatan: { name: string; canRecord: boolean }[];
}
export interface Device {
  id: string;
  serialNumber: string | null;
  vendor: string | null;
  model: string | null;
  role: string | null;
  status: 'installed' | 'spare' | 'removed';
  stationId: string | null;
  stationName: string | null;
  kecamatan: string | null;
  working: boolean;
  loanId: string | null;
  updatedAt: string;
  note: string | null;
}
export interface Loan {
  id: string;
  deviceId: string;
  serialNumber: string | null;
  vendor: string | null;
  model: string | null;
  fromStationName: string | null;
  fromKecamatan: string | null;
  toStationId: string;
  toStationName: string;
  toKecamatan: string;
  startsOn: string;
  dueOn: string;
  returnedOn: string | null;
  reference: string;
  purpose: string;
  createdBy: string;
}
export interface StockLevel {
  remaining: number;
  perDay: number | null;
  daysLeft: number | null;
  low: boolean;
}
export interface StationStock {
  stationId: string;
  stationName: string;
  kecamatan: string;
  reportedAt: string | null;
  blankCards: StockLevel | null;
  ribbons: (StockLevel & { name: string; unit: 'prints' | 'percent' })[];
  low: boolean;
}
export interface Figures {
  generatedAt: string;
  kecamatan: string[];
  months: {
    month: string;
    hoursUnable: Record<string, number>;
    faultsOpened: number;
    meanHoursToAcknowledge: number | null;
    meanHoursToRepair: number | null;
  }[];
}
export interface AuditEntry {
  id: string;
  at: string;
  username: string | null;
  action: string;
  target: string;
  detail: unknown;
  ip: string | null;
}
