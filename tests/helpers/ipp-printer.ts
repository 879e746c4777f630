// A simulated IPP printer for integration tests (TESTING.md "Printers"): a private D-Bus system
// bus, avahi-daemon on loopback only (in a private mount namespace so its pid file under
// /run/avahi-daemon cannot clash with another instance), and ippeveprinter whose print command
// echoes the printed control document to stderr, so `STATE:` and `ATTR:` lines take effect.
// Every process is stopped by PID and the temporary directory removed by stop().
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIppStatusSource } from '../../native/printer/ipp-source';
import { encodeIppMessage, IppGroupTag, IppValueTag } from '../../native/printer/ipp-codec';
import type { IppEncodeAttribute } from '../../native/printer/ipp-codec';
import type { PrinterStatus } from '../../native/printer/types';

export interface SimulatedPrinter {
  port: number;
  /** ipp://127.0.0.1:PORT/ipp/print */
  uri: string;
  /** Current status through our own IPP client (fails the test when the printer does not answer). */
  status(): Promise<PrinterStatus>;
  /** Main tray level in sheets (the web form's level1): 0 makes media-empty, 250 is full. */
  setMediaLevel(sheets: number): Promise<void>;
  /** Percent per supply in the web form's order: [waste toner tank, black toner]. */
  setSupplyLevels(levels: [number, number]): Promise<void>;
  /** Prints a control document; lines like `STATE: +cover-open` or `ATTR: marker-levels=10`. Waits for the job to finish. */
  printControl(lines: string[]): Promise<void>;
  setReason(
    reason: 'cover-open' | 'media-jam' | 'media-empty' | 'toner-low' | 'toner-empty',
    on: boolean,
  ): Promise<void>;
  setMarkers(markers: { name: string; type: string; level: number; lowLevel: number }[]): Promise<void>;
  /** Back to a healthy printer: full tray and supplies, no reasons set by control documents. */
  reset(): Promise<void>;
  /** Log of the three daemons, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

interface Daemon {
  name: string;
  child: ChildProcess;
  output: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function startDaemon(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const daemon: Daemon = { name, child, output: '' };
  const append = (chunk: Buffer) => {
    // Keep the tail only: ippeveprinter logs every request.
    daemon.output = (daemon.output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.once('error', (error) => {
    daemon.output += `\nspawn error: ${error.message}`;
  });
  return daemon;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitFor(
  what: string,
  daemons: Daemon[],
  timeoutMs: number,
  probe: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const dead = daemons.find((daemon) => exited(daemon.child));
    if (dead) {
      throw new Error(
        `simulated printer: ${dead.name} exited (code ${dead.child.exitCode}, signal ${dead.child.signalCode}) while waiting for ${what}:\n${dead.output}`,
      );
    }
    if (await probe()) {
      return;
    }
    if (performance.now() > deadline) {
      throw new Error(
        `simulated printer: ${what} not ready after ${timeoutMs} ms:\n${daemons.map((daemon) => `--- ${daemon.name}\n${daemon.output}`).join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  const { child } = daemon;
  if (child.pid === undefined || exited(child)) {
    return;
  }
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && !exited(child)) {
      process.kill(child.pid, 'SIGKILL');
    }
  }, 3000);
  await gone;
  clearTimeout(timer);
}

function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
  });
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

const requiredPrograms = [
  '/usr/bin/dbus-daemon',
  '/usr/sbin/avahi-daemon',
  '/usr/sbin/ippeveprinter',
  '/usr/bin/ipptool',
  '/usr/bin/unshare',
];

export async function startSimulatedPrinter(options: { name?: string } = {}): Promise<SimulatedPrinter> {
  const missing = requiredPrograms.filter((program) => !existsSync(program));
  if (missing.length > 0) {
    throw new Error(
      `simulated printer: missing ${missing.join(', ')} (install dbus, avahi-daemon and cups-ipp-utils)`,
    );
  }
  const directory = await mkdtemp(join(tmpdir(), 'siaga-ipp-'));
  const daemons: Daemon[] = [];
  const busSocket = join(directory, 'system_bus_socket');
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${busSocket}` };
  let stopped = false;

  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    for (const daemon of [...daemons].reverse()) {
      await stopDaemon(daemon);
    }
    await rm(directory, { recursive: true, force: true });
  };

  try {
    // A system-type bus of our own whose policy lets avahi own org.freedesktop.Avahi and
    // ippeveprinter call it; nothing but this test's processes can reach its socket.
    await writeFile(
      join(directory, 'dbus.conf'),
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${busSocket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`,
    );
    await writeFile(
      join(directory, 'avahi-daemon.conf'),
      [
        '[server]',
        'use-ipv4=yes',
        'use-ipv6=no',
        'allow-interfaces=lo',
        'enable-dbus=yes',
        '[wide-area]',
        'enable-wide-area=no',
        '[publish]',
        'publish-hinfo=no',
        'publish-workstation=no',
        '',
      ].join('\n'),
    );
    const stateCommand = join(directory, 'state-command.sh');
    // ippeveprinter runs this with the print file as $1 and applies STATE:/ATTR: lines from stderr.
    await writeFile(stateCommand, '#!/bin/sh\ncat "$1" >&2\n');
    await chmod(stateCommand, 0o755);
    const spool = join(directory, 'spool');
    await mkdir(spool);

    const dbus = startDaemon(
      'dbus-daemon',
      '/usr/bin/dbus-daemon',
      [`--config-file=${join(directory, 'dbus.conf')}`, '--nofork', '--nopidfile'],
      env,
    );
    daemons.push(dbus);
    await waitFor('the D-Bus socket', daemons, 5000, () => existsSync(busSocket));

    const avahi = startDaemon(
      'avahi-daemon',
      '/usr/bin/unshare',
      [
        '-m',
        '/bin/sh',
        '-c',
        'mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec /usr/sbin/avahi-daemon "--file=$1" --no-drop-root --no-chroot --no-rlimits --no-proc-title',
        'sh',
        join(directory, 'avahi-daemon.conf'),
      ],
      env,
    );
    daemons.push(avahi);
    await waitFor('avahi-daemon', daemons, 10_000, () => avahi.output.includes('Server startup complete'));

    const port = await freePort();
    const printer = startDaemon(
      'ippeveprinter',
      '/usr/sbin/ippeveprinter',
      [
        '-p',
        String(port),
        '-n',
        'localhost',
        '-c',
        stateCommand,
        '-d',
        spool,
        '-f',
        'text/plain',
        '-M',
        'Siaga',
        '-m',
        'Simulated Printer',
        options.name ?? `Siaga Test ${port}`,
      ],
      env,
    );
    daemons.push(printer);
    const uri = `ipp://127.0.0.1:${port}/ipp/print`;
    const source = createIppStatusSource();
    await waitFor(
      'ippeveprinter',
      daemons,
      10_000,
      async () => (await source.getStatus(uri, { timeoutMs: 1000 })).ok,
    );

    const status = async (): Promise<PrinterStatus> => {
      const result = await source.getStatus(uri, { timeoutMs: 5000 });
      if (!result.ok) {
        throw new Error(
          `simulated printer did not answer: ${result.reason} ${result.message}\n${printer.output}`,
        );
      }
      return result.status;
    };

    const webForm = async (path: string) => {
      const code = await httpGet(`http://127.0.0.1:${port}${path}`);
      if (code !== 200) {
        throw new Error(`simulated printer: GET ${path} answered HTTP ${code}`);
      }
    };

    let documentCount = 0;
    const printControl = async (lines: string[]) => {
      documentCount += 1;
      const file = join(directory, `control-${documentCount}.txt`);
      await writeFile(file, `${lines.join('\n')}\n`);
      await run(
        '/usr/bin/ipptool',
        ['-t', '-d', 'filetype=text/plain', '-f', file, uri, 'print-job.test'],
        env,
      );
      await waitFor('the control job to finish', daemons, 5000, async () => {
        const current = await status();
        return current.raw['queued-job-count'] === 0 && current.state !== 'processing';
      });
    };

    return {
      port,
      uri,
      status,
      setMediaLevel: (sheets) =>
        webForm(
          `/media?size1=na_letter_8.5x11in&type1=stationery&level1=${sheets}&size3=na_number-10_4.125x9.5in&type3=envelope&level3=-2`,
        ),
      setSupplyLevels: ([waste, black]) => webForm(`/supplies?supply0=${waste}&supply1=${black}`),
      printControl,
      setReason: (reason, on) => printControl([`STATE: ${on ? '+' : '-'}${reason}`]),
      setMarkers: (markers) =>
        printControl([
          // Names are quoted one by one: ippeveprinter splits ATTR: options at spaces (cupsParseOptions).
          `ATTR: marker-names=${markers.map((marker) => `'${marker.name.replace(/'/g, '')}'`).join(',')} marker-types=${markers.map((marker) => marker.type).join(',')} marker-levels=${markers
            .map((marker) => marker.level)
            .join(',')} marker-low-levels=${markers.map((marker) => marker.lowLevel).join(',')}`,
        ]),
      async reset() {
        await webForm(
          `/media?size1=na_letter_8.5x11in&type1=stationery&level1=250&size3=na_number-10_4.125x9.5in&type3=envelope&level3=-2`,
        );
        await webForm('/supplies?supply0=25&supply1=75');
        await printControl([
          'STATE: -cover-open',
          'STATE: -media-jam',
          'STATE: -media-empty',
          'STATE: -toner-low',
          'STATE: -toner-empty',
        ]);
      },
      logs: () => daemons.map((daemon) => `--- ${daemon.name}\n${daemon.output}`).join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the small IPP server does with each Get-Printer-Attributes request. */
export type SmallIppBehaviour =
  | {
      kind: 'answer';
      /** printer-state-reasons keywords as sent (with their -warning/-error suffix), [] for none. */
      reasons: string[];
      /** marker-names / marker-types / marker-levels; none leaves the marker attributes out. */
      markers?: { name: string; type: string; level: number }[];
    }
  /** Closes the connection after reading the request, before any response byte. */
  | { kind: 'hang-up-before-response' }
  /** Sends the HTTP headers and part of the IPP body, then closes the connection. */
  | { kind: 'hang-up-mid-response' }
  /** Answers with this HTTP status and no IPP body (a printer's web service failing: 500). */
  | { kind: 'http-status'; status: number }
  /** Answers HTTP 200 with an IPP response carrying this status code (0x0500 server-error-internal-error). */
  | { kind: 'ipp-status'; code: number }
  /** Answers HTTP 200 with `body` as the given content type (broken IPP, or an HTML page). */
  | { kind: 'raw'; contentType: string; body: Buffer };

export interface SmallIppServer {
  port: number;
  /** A printer reached directly (IPP Everywhere path). */
  printerUri: string;
  /** The same server posing as a CUPS queue (a spooler path). */
  spoolerUri: string;
  stop(): Promise<void>;
}

/**
 * A small IPP server on loopback for behaviour ippeveprinter cannot show: any marker types and
 * state reasons, and a peer that closes the connection in the middle of a request.
 */
export async function startSmallIppServer(behaviour: SmallIppBehaviour): Promise<SmallIppServer> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (behaviour.kind === 'hang-up-before-response') {
        request.socket.destroy();
        return;
      }
      if (behaviour.kind === 'http-status') {
        response.writeHead(behaviour.status, { 'content-type': 'text/plain' });
        response.end('Internal Server Error');
        return;
      }
      if (behaviour.kind === 'raw') {
        response.writeHead(200, { 'content-type': behaviour.contentType });
        response.end(behaviour.body);
        return;
      }
      const body = Buffer.concat(chunks);
      const requestId = body.length >= 8 ? body.readInt32BE(4) : 1;
      const keyword = (value: string) => ({ tag: IppValueTag.keyword, value });
      const printerAttributes: IppEncodeAttribute[] = [
        { name: 'printer-state', values: [{ tag: IppValueTag.enum, value: 3 }] },
        {
          name: 'printer-state-reasons',
          values: (behaviour.kind === 'answer' && behaviour.reasons.length > 0
            ? behaviour.reasons
            : ['none']
          ).map(keyword),
        },
        { name: 'printer-is-accepting-jobs', values: [{ tag: IppValueTag.boolean, value: true }] },
      ];
      const markers = behaviour.kind === 'answer' ? (behaviour.markers ?? []) : [];
      if (markers.length > 0) {
        printerAttributes.push(
          {
            name: 'marker-names',
            values: markers.map((marker) => ({ tag: IppValueTag.nameWithoutLanguage, value: marker.name })),
          },
          { name: 'marker-types', values: markers.map((marker) => keyword(marker.type)) },
          {
            name: 'marker-levels',
            values: markers.map((marker) => ({ tag: IppValueTag.integer, value: marker.level })),
          },
        );
      }
      const encoded = Buffer.from(
        encodeIppMessage({
          code: behaviour.kind === 'ipp-status' ? behaviour.code : 0,
          requestId,
          groups: [
            {
              tag: IppGroupTag.operation,
              attributes: [
                { name: 'attributes-charset', values: [{ tag: IppValueTag.charset, value: 'utf-8' }] },
                {
                  name: 'attributes-natural-language',
                  values: [{ tag: IppValueTag.naturalLanguage, value: 'en' }],
                },
              ],
            },
            { tag: IppGroupTag.printer, attributes: printerAttributes },
          ],
        }),
      );
      response.writeHead(200, { 'content-type': 'application/ipp', 'content-length': encoded.length });
      if (behaviour.kind === 'hang-up-mid-response') {
        response.write(encoded.subarray(0, Math.floor(encoded.length / 2)), () => request.socket.destroy());
        return;
      }
      response.end(encoded);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    printerUri: `ipp://127.0.0.1:${port}/ipp/print`,
    spoolerUri: `ipp://127.0.0.1:${port}/printers/CardPrinter`,
    stop: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
