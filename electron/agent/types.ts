// What one full check produces, consumed by the CLI, the fault lifecycle, the store and StationApi.
import type { Role, Status, Verdict } from '../../protocol/verdict';
import type { Answer } from '../../protocol/rules';
import type { UsbDeviceInfo } from '../../native/usb/types';

export interface CheckReport {
  startedAt: string;
  durationMs: number;
  /** One verdict per expected role (role set), plus one per unexpected or unknown device (role null). */
  verdicts: Verdict[];
  /** Worst status per expected role. */
  roleStatus: Partial<Record<Role, Status>>;
  /** The shared rule (protocol/rules.ts) on `roleStatus`: what the kiosk, the CLI and the heartbeat say. */
  recording: Answer;
  printing: Answer;
  /** `recording === 'yes'` and `printing === 'yes'`, for readers of the older report. */
  canRecord: boolean;
  canPrint: boolean;
  usbDevices: UsbDeviceInfo[];
  /** 'passive' never opens a device (background); 'active' may (startup, daily check, technician). */
  mode: 'passive' | 'active';
}
