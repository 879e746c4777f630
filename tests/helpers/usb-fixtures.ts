// One station's kit as a fake sysfs tree, with what the adapter and the catalog should make of it.
import type { FakeUsbDevice } from './fake-sysfs';

export interface KitDevice {
  device: FakeUsbDevice;
  key: string;
  /** The catalog entry id it must match; null for a device the catalog must not know. */
  catalogId: string | null;
}

export const STATION_KIT: KitDevice[] = [
  {
    device: {
      bus: 1,
      ports: [1],
      vendorId: 0x09b0,
      productId: 0x2400,
      manufacturer: 'FARGO',
      product: 'HDP5000 Card Printer',
      serial: 'C4160001',
      interfaces: [{ number: 0, interfaceClass: 0x07, interfaceSubclass: 1, interfaceProtocol: 2 }],
    },
    key: 'usb:09b0:2400:C4160001',
    catalogId: 'fargo-hdp5000',
  },
  {
    device: {
      bus: 1,
      ports: [2],
      vendorId: 0x080b,
      productId: 0x0010,
      deviceClass: 0xff,
      manufacturer: 'Cross Match Technologies',
      product: 'Guardian',
      serial: 'GRD-0042',
    },
    key: 'usb:080b:0010:GRD-0042',
    catalogId: 'crossmatch-fingerprint',
  },
  {
    device: { bus: 1, ports: [3], vendorId: 0x1f63, productId: 0xf001, product: 'IriShield' },
    key: 'usb:1f63:f001@1-3',
    catalogId: 'iritech-irishield',
  },
  {
    device: {
      bus: 1,
      ports: [4],
      vendorId: 0x05e3,
      productId: 0x0608,
      deviceClass: 0x09,
      deviceProtocol: 1,
      product: 'USB2.0 Hub',
    },
    key: 'usb:05e3:0608@1-4',
    catalogId: null,
  },
  {
    device: {
      bus: 1,
      ports: [4, 1],
      vendorId: 0x04a9,
      productId: 0x3218,
      manufacturer: 'Canon Inc.',
      product: 'Canon EOS 1100D',
      interfaces: [{ number: 0, interfaceClass: 0x06, interfaceSubclass: 1, interfaceProtocol: 1 }],
    },
    key: 'usb:04a9:3218@1-4.1',
    catalogId: 'canon-eos',
  },
  {
    device: {
      bus: 1,
      ports: [4, 2],
      vendorId: 0x06a8,
      productId: 0x0043,
      manufacturer: 'Topaz Systems Inc.',
      product: 'SignatureGem 1X5-HID',
      speed: 12,
      usbVersion: '1.10',
    },
    key: 'usb:06a8:0043@1-4.2',
    catalogId: 'topaz-signature',
  },
  {
    device: {
      bus: 1,
      ports: [4, 3],
      vendorId: 0x076b,
      productId: 0x3021,
      manufacturer: 'OMNIKEY',
      product: 'CardMan 3121',
      interfaces: [{ number: 0, interfaceClass: 0x0b }],
    },
    key: 'usb:076b:3021@1-4.3',
    catalogId: 'ccid-card-reader',
  },
  {
    device: { bus: 1, ports: [5], vendorId: 0x0665, productId: 0x5161, product: 'USB to Serial', speed: 1.5 },
    key: 'usb:0665:5161@1-5',
    catalogId: 'megatec-usb-ups',
  },
  {
    device: {
      bus: 1,
      ports: [6],
      vendorId: 0x04a9,
      productId: 0x2759,
      manufacturer: 'Canon',
      product: 'MF3010',
      serial: '0000A1B2C3D4',
      interfaces: [{ number: 0, interfaceClass: 0x07, interfaceSubclass: 1, interfaceProtocol: 2 }],
    },
    key: 'usb:04a9:2759:0000A1B2C3D4',
    catalogId: 'canon-printer-class',
  },
  {
    device: {
      bus: 2,
      ports: [2],
      vendorId: 0x046d,
      productId: 0x0825,
      deviceClass: 0xef,
      deviceSubclass: 2,
      deviceProtocol: 1,
      product: 'Webcam C270',
      serial: '8F2A1B30',
      interfaces: [
        { number: 0, interfaceClass: 0x0e, interfaceSubclass: 1 },
        { number: 1, interfaceClass: 0x0e, interfaceSubclass: 2 },
        { number: 2, interfaceClass: 0x01, interfaceSubclass: 1 },
      ],
    },
    key: 'usb:046d:0825:8F2A1B30',
    catalogId: 'uvc-camera',
  },
  {
    device: { bus: 2, ports: [1], vendorId: 0x1234, productId: 0x5678, product: 'Mystery Gadget' },
    key: 'usb:1234:5678@2-1',
    catalogId: null,
  },
];
