// Built-in virtual station: a full e-KTP kit behind the same native interfaces the real adapters
// implement, with named scenarios. A product feature for training and demos on a PC without the kit;
// the real transports are tested separately against OS-level peers (tests/integration).
import type { UsbDeviceHistory, UsbDeviceInfo } from '../../native/usb/types';
import type { SerialQueryResult, SerialTransport } from '../../native/serial/types';
import type { PrinterStatus, PrinterStatusSource } from '../../native/printer/types';
import type {
  CommandRunner,
  NetworkProbe,
  ReachabilityResult,
  SystemProbe,
  SystemSnapshot,
} from '../../native/system/types';
import type { Adapters } from './adapters';
import type { Profile } from './profile';
import { parseProfile } from './profile';
import { formatQ1, UPS_SIMULATION_STATUSES } from '../../native/serial/megatec';
import { usbLocation } from '../../native/usb/usb-source';

/** Typical latencies of the real peers (TESTING.md: a Megatec Q1 round trip is about 15 ms). */
const LATENCY_MS = { usb: 3, serial: 15, printer: 20, network: 40, system: 1 };

/** A device on bus 1 at `path` (port chain "4.1"), keyed as the real adapter keys it. */
const usbDevice = (
  path: string,
  vendorId: number,
  productId: number,
  fields: Partial<UsbDeviceInfo> = {},
): UsbDeviceInfo => {
  const id = `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
  const ports = path.split('.').map(Number);
  return {
    key: fields.serialNumber ? `usb:${id}:${fields.serialNumber}` : `usb:${id}@${usbLocation(1, ports)}`,
    vendorId,
    productId,
    deviceClass: 0,
    deviceSubclass: 0,
    deviceProtocol: 0,
    bus: 1,
    ports,
    usbVersion: '2.00',
    ...fields,
  };
};

const KIT = {
  camera: usbDevice('1', 0x04a9, 0x3272, {
    manufacturer: 'Canon Inc.',
    product: 'Canon EOS 1300D',
    deviceClass: 0x06,
    serialNumber: 'CE0034512',
  }),
  fingerprint: usbDevice('2', 0x080b, 0x0010, {
    manufacturer: 'Cross Match Technologies',
    product: 'L SCAN GUARDIAN',
    serialNumber: 'G1502339',
  }),
  iris: usbDevice('3', 0x1f63, 0xf001, {
    manufacturer: 'IriTech',
    product: 'IriShield-USB MK 2120U',
    serialNumber: 'IS21-88415',
  }),
  signature: usbDevice('4.1', 0x06a8, 0x0043, {
    manufacturer: 'Topaz Systems Inc',
    product: 'SignatureGem LCD 1X5',
    serialNumber: 'T-LBK460',
  }),
  cardPrinter: usbDevice('4.2', 0x09b0, 0x2400, {
    manufacturer: 'Fargo',
    product: 'HDP5000',
    deviceClass: 0,
    serialNumber: 'B9140432',
  }),
  documentPrinter: usbDevice('4.3', 0x04b8, 0x1143, {
    manufacturer: 'EPSON',
    product: 'L3110 Series',
    deviceClass: 0x07,
    serialNumber: 'X5E8012345',
  }),
  cardReader: usbDevice('4.4', 0x076b, 0x3031, {
    manufacturer: 'HID Global',
    product: 'OMNIKEY 3x21 Smart Card Reader',
    deviceClass: 0x0b,
  }),
};

const CENTRAL = 'https://central.siaga.test/';
const DISTRICT = 'https://district.siaga.test/';
const CARD_QUEUE = 'FARGO_HDP5000';
const DOCUMENT_QUEUE = 'Printer_Dokumen';
const UPS_PORT = 'SIM:/dev/ttyS0';

export const SIMULATED_PROFILE: Profile = parseProfile(
  {
    version: 1,
    station: { name: 'Stasiun simulasi 1', kecamatan: 'Simulasi' },
    roles: {
      camera: { usb: { vendorId: '04a9', productId: '3272' } },
      fingerprint: { usb: { vendorId: '080b', serialNumber: 'G1502339' } },
      iris: { usb: { vendorId: '1f63' } },
      signature: { usb: { vendorId: '06a8' } },
      'card-printer': { usb: { vendorId: '09b0', productId: '2400' }, printer: { queue: CARD_QUEUE } },
      'document-printer': { printer: { queue: DOCUMENT_QUEUE } },
      ups: { serial: { path: UPS_PORT, protocol: 'megatec-q1', baudRate: 2400 } },
      network: {
        endpoints: [
          { name: 'central', url: CENTRAL },
          { name: 'district', url: DISTRICT },
        ],
      },
    },
  },
  'built-in simulated profile',
);

type UpsMode = 'healthy' | 'on-battery' | 'battery-low' | 'failed' | 'silent' | 'garbage' | 'busy';

const UPS_REPLIES: Record<Exclude<UpsMode, 'silent' | 'busy'>, string> = {
  healthy: formatQ1(UPS_SIMULATION_STATUSES.healthy),
  'on-battery': formatQ1(UPS_SIMULATION_STATUSES['on-battery']),
  'battery-low': formatQ1(UPS_SIMULATION_STATUSES['battery-low']),
  failed: formatQ1(UPS_SIMULATION_STATUSES['ups-failed']),
  garbage: '\x00\xff#@!Q1?? \x1b[0m\r',
};

interface SimulationState {
  attached: UsbDeviceInfo[];
  reconnects: Record<string, number>;
  ups: UpsMode;
  printers: Record<string, PrinterStatus | 'unreachable' | 'hang'>;
  /** 'silent': the endpoint never answers (a dropped route), so the probe times out at its timeout. */
  network: Record<string, ReachabilityResult | 'silent'>;
  system: Partial<SystemSnapshot>;
}

function printer(
  queue: string,
  reasons: string[] = [],
  markerLevel = 80,
  state: PrinterStatus['state'] = 'idle',
): PrinterStatus {
  const card = queue === CARD_QUEUE;
  return {
    queue,
    state,
    reasons,
    reasonSeverity: Object.fromEntries(
      reasons.map((reason) => [reason, reason.includes('low') ? 'warning' : 'error']),
    ),
    markers: [
      {
        name: card ? 'Ribbon YMCKO' : 'Black ink',
        type: card ? 'ink-ribbon' : 'ink-cartridge',
        level: markerLevel,
        lowLevel: 10,
      },
    ],
    acceptingJobs: true,
    makeAndModel: card ? 'FARGO HDP5000 Card Printer' : 'EPSON L3110 Series',
    raw: {},
  };
}

function healthyState(): SimulationState {
  return {
    attached: Object.values(KIT),
    reconnects: {},
    ups: 'healthy',
    printers: { [CARD_QUEUE]: printer(CARD_QUEUE), [DOCUMENT_QUEUE]: printer(DOCUMENT_QUEUE) },
    network: {
      [CENTRAL]: { ok: true, latencyMs: 85, httpStatus: 200 },
      [DISTRICT]: { ok: true, latencyMs: 32, httpStatus: 200 },
    },
    system: {},
  };
}

const without = (state: SimulationState, device: UsbDeviceInfo) => {
  state.attached = state.attached.filter((attached) => attached.key !== device.key);
};

/** Named scenarios: each starts from a healthy kit and breaks one thing (or several). */
export const SCENARIOS: Record<string, { description: string; apply: (state: SimulationState) => void }> = {
  healthy: { description: 'Semua perangkat sehat / everything healthy', apply: () => undefined },
  'fingerprint-missing': {
    description: 'Pemindai sidik jari dicabut / fingerprint scanner unplugged',
    apply: (s) => without(s, KIT.fingerprint),
  },
  'iris-missing': {
    description: 'Kamera iris tidak terdeteksi / iris camera not detected',
    apply: (s) => without(s, KIT.iris),
  },
  'camera-missing': {
    description: 'Kamera foto tidak terdeteksi / photo camera not detected',
    apply: (s) => without(s, KIT.camera),
  },
  'signature-missing': {
    description: 'Alat tanda tangan dicabut / signature pad unplugged',
    apply: (s) => without(s, KIT.signature),
  },
  'loose-cable': {
    description: 'Kabel pemindai sidik jari longgar / fingerprint cable loose (repeated reconnects)',
    apply: (s) => {
      s.reconnects[KIT.fingerprint.key] = 5;
    },
  },
  'ribbon-out': {
    description: 'Ribbon printer kartu habis / card printer ribbon out',
    apply: (s) => {
      s.printers[CARD_QUEUE] = printer(CARD_QUEUE, ['marker-supply-empty'], 0, 'stopped');
    },
  },
  'ribbon-low': {
    description: 'Ribbon printer kartu hampir habis / card printer ribbon low',
    apply: (s) => {
      s.printers[CARD_QUEUE] = printer(CARD_QUEUE, ['marker-supply-low'], 6);
    },
  },
  'cards-out': {
    description: 'Blangko di printer kartu habis / no blank cards in the card printer',
    apply: (s) => {
      s.printers[CARD_QUEUE] = printer(CARD_QUEUE, ['media-empty'], 80, 'stopped');
    },
  },
  'printer-cover-open': {
    description: 'Tutup printer kartu terbuka / card printer cover open',
    apply: (s) => {
      s.printers[CARD_QUEUE] = printer(CARD_QUEUE, ['cover-open'], 80, 'stopped');
    },
  },
  'paper-jam': {
    description: 'Printer dokumen macet / document printer jammed',
    apply: (s) => {
      s.printers[DOCUMENT_QUEUE] = printer(DOCUMENT_QUEUE, ['media-jam'], 60, 'stopped');
    },
  },
  'ups-on-battery': {
    description: 'Listrik padam, UPS memakai baterai / mains down, UPS on battery',
    apply: (s) => void (s.ups = 'on-battery'),
  },
  'ups-battery-low': {
    description: 'Baterai UPS hampir habis / UPS battery low',
    apply: (s) => void (s.ups = 'battery-low'),
  },
  'ups-failed': { description: 'UPS rusak / UPS failed', apply: (s) => void (s.ups = 'failed') },
  'ups-silent': {
    description: 'UPS tidak menjawab (perangkat macet) / UPS never answers',
    apply: (s) => void (s.ups = 'silent'),
  },
  'ups-garbage': {
    description: 'UPS mengirim data rusak / UPS sends garbage',
    apply: (s) => void (s.ups = 'garbage'),
  },
  'ups-busy': {
    description: 'Port UPS dipakai program lain (aplikasi UPS vendor) / UPS port held by another program',
    apply: (s) => void (s.ups = 'busy'),
  },
  'card-printer-unreachable': {
    description: 'Layanan antrean cetak tidak terjangkau / print spooler unreachable',
    apply: (s) => {
      s.printers[CARD_QUEUE] = 'unreachable';
    },
  },
  'card-printer-hang': {
    description: 'Antrean cetak printer kartu tidak menjawab / the card printer queue never answers',
    apply: (s) => {
      s.printers[CARD_QUEUE] = 'hang';
    },
  },
  'central-unreachable': {
    description: 'Server pusat tidak terjangkau / central server unreachable',
    apply: (s) => {
      s.network[CENTRAL] = 'silent';
    },
  },
  'district-unreachable': {
    description: 'Server kabupaten tidak terjangkau / district server unreachable',
    apply: (s) => {
      s.network[DISTRICT] = { ok: false, reason: 'refused', message: 'connect ECONNREFUSED', latencyMs: 4 };
    },
  },
  'network-slow': {
    description: 'Jaringan lambat / slow link',
    apply: (s) => {
      s.network[CENTRAL] = { ok: true, latencyMs: 2400, httpStatus: 200 };
    },
  },
  'disk-low': {
    description: 'Disk komputer hampir penuh / PC disk almost full',
    apply: (s) => {
      s.system.diskFreeBytes = 700 * 1024 ** 2;
    },
  },
  'unknown-device': {
    description: 'Perangkat USB tak dikenal terpasang / an unknown USB device is attached',
    apply: (s) => {
      s.attached.push(
        usbDevice('5', 0x1234, 0x5678, {
          manufacturer: 'Generic',
          product: 'USB Flash Disk',
          deviceClass: 0,
        }),
      );
    },
  },
  'kecamatan-down': {
    description: 'Banyak kerusakan sekaligus (seperti laporan Sragen) / many faults at once',
    apply: (s) => {
      without(s, KIT.fingerprint);
      without(s, KIT.iris);
      s.printers[CARD_QUEUE] = printer(CARD_QUEUE, ['marker-supply-empty'], 0, 'stopped');
      s.ups = 'on-battery';
    },
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SimulatedStation {
  adapters: Adapters;
  profile: Profile;
  /** The scenario in force. */
  readonly scenario: string;
  /** Switch the virtual kit to another scenario while running (a device fails or recovers). */
  set(scenario: string): void;
}

export class UnknownScenarioError extends Error {}

export function assertScenario(name: string): void {
  if (!(name in SCENARIOS)) {
    throw new UnknownScenarioError(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  }
}

export function createSimulatedStation(initial = 'healthy'): SimulatedStation {
  assertScenario(initial);
  let scenario = initial;
  let state = healthyState();
  const apply = (name: string) => {
    assertScenario(name);
    scenario = name;
    state = healthyState();
    SCENARIOS[name]!.apply(state);
  };
  apply(initial);

  const serial: SerialTransport = {
    async query({ path, timeoutMs }): Promise<SerialQueryResult> {
      const started = performance.now();
      const elapsedMs = () => performance.now() - started;
      if (path !== UPS_PORT) {
        return { ok: false, reason: 'not-found', message: `no such port ${path}`, elapsedMs: 0 };
      }
      if (state.ups === 'busy') {
        return { ok: false, reason: 'busy', message: 'port held by another program', elapsedMs: 0 };
      }
      if (state.ups === 'silent') {
        await sleep(timeoutMs);
        return {
          ok: false,
          reason: 'timeout',
          message: `no reply in ${timeoutMs} ms`,
          elapsedMs: elapsedMs(),
        };
      }
      await sleep(LATENCY_MS.serial);
      return { ok: true, reply: Buffer.from(UPS_REPLIES[state.ups], 'latin1'), elapsedMs: elapsedMs() };
    },
    async list() {
      return { ports: [{ path: UPS_PORT, manufacturer: 'Simulated Megatec UPS' }] };
    },
  };

  const ipp: PrinterStatusSource = {
    async getStatus(queue, { timeoutMs }) {
      const started = performance.now();
      const current = state.printers[queue];
      if (current === 'hang') {
        await sleep(timeoutMs);
        return {
          ok: false,
          reason: 'timeout',
          message: `no answer in ${timeoutMs} ms`,
          elapsedMs: timeoutMs,
        };
      }
      await sleep(LATENCY_MS.printer);
      if (current === undefined) {
        return {
          ok: false,
          reason: 'not-found',
          message: `no queue ${queue}`,
          elapsedMs: performance.now() - started,
        };
      }
      if (current === 'unreachable') {
        return {
          ok: false,
          reason: 'unreachable',
          message: 'connect ECONNREFUSED 127.0.0.1:631',
          elapsedMs: performance.now() - started,
        };
      }
      return { ok: true, status: structuredClone(current), elapsedMs: performance.now() - started };
    },
  };

  const network: NetworkProbe = {
    async reach(url, { timeoutMs }) {
      const result = state.network[url] ?? {
        ok: false,
        reason: 'dns',
        message: `unknown host in simulation: ${url}`,
        latencyMs: 1,
      };
      // As the real probe: no answer within the timeout is a timeout at the timeout, whatever the cause.
      if (result === 'silent' || result.latencyMs > timeoutMs) {
        await sleep(timeoutMs);
        return {
          ok: false,
          reason: 'timeout',
          message: `no answer in ${timeoutMs} ms`,
          latencyMs: timeoutMs,
        };
      }
      await sleep(result.latencyMs);
      return { ...result, ...(result.ok ? { serverDate: new Date().toUTCString() } : {}) };
    },
  };

  const system: SystemProbe = {
    async snapshot() {
      await sleep(LATENCY_MS.system);
      return {
        diskFreeBytes: 120 * 1024 ** 3,
        diskTotalBytes: 500 * 1024 ** 3,
        memoryFreeBytes: 2.5 * 1024 ** 3,
        memoryTotalBytes: 8 * 1024 ** 3,
        uptimeSeconds: 3600,
        clockMs: Date.now(),
        hostname: 'stasiun-simulasi',
        platform: 'simulated',
        ...state.system,
      };
    },
  };

  const commands: CommandRunner = {
    async run() {
      return { exitCode: 0, timedOut: false, stdout: 'OK\n', stderr: '', elapsedMs: 1 };
    },
  };

  const usbHistory = (key: string): UsbDeviceHistory | undefined => {
    const reconnects = state.reconnects[key];
    if (reconnects === undefined) {
      return undefined;
    }
    const now = Date.now();
    return {
      key,
      reconnects,
      recentTransitions: Array.from({ length: reconnects * 2 }, (_, index) => now - index * 20_000),
      present: true,
      lastSeen: now,
    };
  };

  return {
    adapters: {
      usb: {
        async list() {
          await sleep(LATENCY_MS.usb);
          // In key order, as the real adapter lists.
          return structuredClone(state.attached).sort((left, right) =>
            left.key < right.key ? -1 : left.key > right.key ? 1 : 0,
          );
        },
      },
      usbHistory,
      serial,
      printers: { ipp },
      system,
      network,
      commands,
    },
    profile: SIMULATED_PROFILE,
    get scenario() {
      return scenario;
    },
    set: apply,
  };
}
