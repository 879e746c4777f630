// Which addresses a webhook may connect to. A host name the operator allowed can resolve (or be
// re-pointed by DNS) to the server's own machine, the cloud's metadata service or the office
// network; the address it resolves to is what counts (webhook.ts checks it at send time and connects
// to that very address). Never: unspecified (0.0.0.0, ::), multicast, reserved/broadcast. Only when
// the operator lists the address or a network holding it in the --escalation file's
// `webhookAddresses`: loopback, link-local, private (RFC 1918, shared 100.64/10, IPv6 unique and
// site-local, local-use NAT64). IPv4 written inside IPv6 (::ffff:127.0.0.1, ::ffff:0:7f00:1,
// ::127.0.0.1, NAT64 64:ff9b::/96) is judged as IPv4.

/** An IP address as a number: 32 bits (IPv4) or 128 bits (IPv6). */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** A network (CIDR): its first address and prefix length. */
export interface IpNetwork extends IpAddress {
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (match === null) {
    return null;
  }
  let value = 0n;
  for (const part of match.slice(1)) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if ((part.length > 1 && part.startsWith('0')) || Number(part) > 255) {
      return null;
    }
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) {
    return null;
  }
  const groupsOf = (part: string): number[] | null => {
    if (part === '') {
      return [];
    }
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const ipv4 = parseIpv4(piece);
        if (ipv4 === null) {
          return null;
        }
        groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const [head, tail] = text.split('::');
  const first = groupsOf(head);
  const last = tail === undefined ? [] : groupsOf(tail);
  if (first === null || last === null) {
    return null;
  }
  const missing = 8 - first.length - last.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) {
    return null;
  }
  return [...first, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...last].reduce(
    (value, group) => (value << 16n) | BigInt(group),
    0n,
  );
}

/** IPv6 prefixes (/96) whose last 32 bits are an IPv4 address reached through them. */
const EMBEDDING_IPV4 = [
  0xffffn << 32n /* ::ffff:0:0/96 mapped */,
  0xffff0000n << 32n /* ::ffff:0:0:0/96 translated (SIIT) */,
  0x64ff9bn << 96n /* 64:ff9b::/96 NAT64 */,
];

/**
 * The deprecated IPv4-compatible form `::a.b.c.d` (::/96) carries IPv4 too. Only from 1.0.0.0 up:
 * below that lie `::` and `::1`, which are IPv6's own unspecified and loopback addresses.
 */
const isIpv4Compatible = (ipv6: bigint): boolean => ipv6 >> 32n === 0n && ipv6 >= 1n << 24n;

/** An address as written (brackets and zone not allowed); IPv4 inside IPv6 comes back as IPv4. Null: not an address. */
export function parseIpAddress(text: string): IpAddress | null {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== null) {
    return { family: 4, value: ipv4 };
  }
  const ipv6 = parseIpv6(text);
  if (ipv6 === null) {
    return null;
  }
  return EMBEDDING_IPV4.includes((ipv6 >> 32n) << 32n) || isIpv4Compatible(ipv6)
    ? { family: 4, value: ipv6 & 0xffffffffn }
    : { family: 6, value: ipv6 };
}

function network(text: string): IpNetwork {
  const [address, prefix] = text.split('/');
  const family = address.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(address)! : parseIpv6(address)!;
  return { family, value, prefix: prefix === undefined ? BITS[family] : Number(prefix) };
}

/** Whether `address` lies in `net` (same family). */
export function networkContains(net: IpNetwork, address: IpAddress): boolean {
  if (net.family !== address.family) {
    return false;
  }
  const shift = BigInt(BITS[net.family] - net.prefix);
  return net.value >> shift === address.value >> shift;
}

/** Two networks overlap when one holds the other's first address. */
const overlaps = (left: IpNetwork, right: IpNetwork): boolean =>
  networkContains(left, right) || networkContains(right, left);

export type AddressKind = 'unspecified' | 'multicast' | 'reserved' | 'loopback' | 'link-local' | 'private';

/** Never connected to, whatever is listed. */
const NEVER: [IpNetwork, AddressKind][] = [
  [network('0.0.0.0/8'), 'unspecified'],
  [network('224.0.0.0/4'), 'multicast'],
  [network('240.0.0.0/4'), 'reserved'],
  [network('::/128'), 'unspecified'],
  [network('ff00::/8'), 'multicast'],
];

/** Connected to only when listed in webhookAddresses. */
const LISTED_ONLY: [IpNetwork, AddressKind][] = [
  [network('127.0.0.0/8'), 'loopback'],
  [network('169.254.0.0/16'), 'link-local'],
  [network('10.0.0.0/8'), 'private'],
  [network('172.16.0.0/12'), 'private'],
  [network('192.168.0.0/16'), 'private'],
  [network('100.64.0.0/10'), 'private'],
  [network('::1/128'), 'loopback'],
  [network('fe80::/10'), 'link-local'],
  [network('fc00::/7'), 'private'],
  [network('fec0::/10'), 'private'],
  // RFC 8215 local-use NAT64: the operator's own translator into its IPv4 network.
  [network('64:ff9b:1::/48'), 'private'],
];

const KIND_TEXT: Record<AddressKind, string> = {
  unspecified: 'alamat tak tentu / unspecified address',
  multicast: 'alamat multicast / multicast address',
  reserved: 'alamat cadangan atau broadcast / reserved or broadcast address',
  loopback: 'loopback, mesin server ini sendiri / loopback, this server itself',
  'link-local': 'link-local, termasuk metadata cloud 169.254.169.254 / link-local, cloud metadata included',
  private: 'jaringan privat / private network',
};

/**
 * A `webhookAddresses` entry: an address or a network (`10.20.0.0/16`, `fd12:3456::/48`,
 * `127.0.0.1`). Throws on anything else, and on a network that holds never-allowed addresses
 * (`0.0.0.0/0` would open every address) or IPv6 forms of IPv4 wider than one /96 (list IPv4 as IPv4).
 */
export function parseAllowedNetwork(text: string): IpNetwork {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  const address = match === null ? null : parseIpAddress(match[1]);
  if (match === null || address === null) {
    throw new Error(`${text}: bukan alamat IP atau jaringan CIDR / not an IP address or CIDR network`);
  }
  const written = match[1].includes(':') ? 6 : 4;
  let prefix = match[2] === undefined ? BITS[written] : Number(match[2]);
  if (prefix > BITS[written]) {
    throw new Error(`${text}: panjang prefiks lebih dari ${BITS[written]} / prefix longer than ${BITS[written]}`);
  }
  if (written === 6 && address.family === 4) {
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8.
    prefix -= 96;
  }
  if (prefix < 0) {
    throw new Error(`${text}: tuliskan jaringan IPv4 sebagai IPv4 / write IPv4 networks as IPv4`);
  }
  const net: IpNetwork = { ...address, prefix };
  const shift = BigInt(BITS[net.family] - prefix);
  net.value = (net.value >> shift) << shift;
  const never = NEVER.find(([refused]) => overlaps(net, refused));
  if (never !== undefined) {
    throw new Error(`${text}: memuat ${KIND_TEXT[never[1]]}, yang tidak pernah diizinkan / holds never-allowed addresses`);
  }
  // A mask wider than the internal block it opens lets a slip (127.0.0.1/2 for /32) open loopback,
  // link-local or private space along with public addresses: list the internal network itself.
  const hidden = LISTED_ONLY.find(([block]) => overlaps(net, block) && net.prefix < block.prefix);
  if (hidden !== undefined) {
    throw new Error(
      `${text}: lebih luas dari jaringan ${KIND_TEXT[hidden[1]]} di dalamnya; tuliskan jaringan itu sendiri / wider than the internal network it holds; list that network itself`,
    );
  }
  const embedding = EMBEDDING_IPV4.map((value): IpNetwork => ({ family: 6, value, prefix: 96 }));
  if (net.family === 6 && embedding.some((embedded) => overlaps(net, embedded))) {
    throw new Error(`${text}: tuliskan jaringan IPv4 sebagai IPv4 / write IPv4 networks as IPv4`);
  }
  return net;
}

/**
 * Why a webhook may not connect to `address` (as the resolver gave it), or null when it may: a
 * public address, or one inside a listed network.
 */
export function addressRefusal(address: string, allowed: readonly IpNetwork[]): { kind: AddressKind | 'invalid'; text: string } | null {
  const parsed = parseIpAddress(address.replace(/%.*$/, ''));
  if (parsed === null) {
    return { kind: 'invalid', text: 'bukan alamat IP / not an IP address' };
  }
  const never = NEVER.find(([refused]) => networkContains(refused, parsed));
  if (never !== undefined) {
    return { kind: never[1], text: `${KIND_TEXT[never[1]]}, tidak pernah diizinkan / never allowed` };
  }
  const listedOnly = LISTED_ONLY.find(([refused]) => networkContains(refused, parsed));
  if (listedOnly === undefined || allowed.some((net) => networkContains(net, parsed))) {
    return null;
  }
  return {
    kind: listedOnly[1],
    text: `${KIND_TEXT[listedOnly[1]]}, tidak tercantum di webhookAddresses / not listed in webhookAddresses`,
  };
}
