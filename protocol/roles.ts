// The roles a recording station can need. Plain constants without zod, so the kiosk UI can use
// them without bundling the schema library.

/** `pc` is the station PC itself (disk, memory, clock). */
export const ROLES = [
  'camera',
  'fingerprint',
  'iris',
  'signature',
  'card-printer',
  'document-printer',
  'card-reader',
  'ups',
  'network',
  'pc',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles without which a station cannot record a resident (DOMAIN.md). `network` means the link to central. */
export const RECORDING_ROLES: readonly Role[] = ['camera', 'fingerprint', 'iris', 'signature', 'network'];
/** Roles without which a station cannot print an e-KTP. */
export const PRINTING_ROLES: readonly Role[] = ['card-printer'];
