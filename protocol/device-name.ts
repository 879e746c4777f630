// How a device is named to people: vendor and model, without saying the brand twice. Catalog
// models and USB product strings often repeat the vendor ("Futronic" + "Futronic fingerprint
// scanner", "Canon Inc." + "Canon EOS 1100D"); the station, the kiosk and the dashboard all name
// devices with this one function.

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The brand as people say it: the vendor without a parenthesised owner or legal suffix ("Fargo (HID Global)" -> "Fargo"). */
function brandOf(vendor: string): string {
  return vendor
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[,.]?\s+(inc|ltd|co|corp|corporation|gmbh|ag|sa|llc|plc|technologies|systems)\.?$/i, '')
    .trim();
}

/**
 * "Vendor Model" with the brand said once: the model alone when it already names the vendor's
 * brand; the overlap said once when the vendor ends with the words the model starts with
 * ("Megatec-protocol UPS" + "UPS (Cypress ...)"); the model alone when both end in the same noun
 * ("Smart card reader" + "CCID card reader"). Undefined when neither is known.
 */
export function deviceName(
  vendor: string | null | undefined,
  model: string | null | undefined,
): string | undefined {
  const cleanVendor = vendor?.trim() || undefined;
  const cleanModel = model?.trim() || undefined;
  if (!cleanVendor || !cleanModel) {
    return cleanModel ?? cleanVendor;
  }
  const brandWord = words(brandOf(cleanVendor))[0];
  if (
    brandWord &&
    new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(brandWord)}($|[^\\p{L}\\p{N}])`, 'iu').test(cleanModel)
  ) {
    return cleanModel;
  }
  const vendorWords = words(cleanVendor);
  const modelWords = words(cleanModel);
  for (let overlap = Math.min(vendorWords.length, modelWords.length); overlap > 0; overlap -= 1) {
    const tail = vendorWords.slice(-overlap).join(' ').toLowerCase();
    const head = modelWords.slice(0, overlap).join(' ').toLowerCase();
    if (tail === head) {
      return [...vendorWords, ...modelWords.slice(overlap)].join(' ');
    }
  }
  // A generic class entry ("Smart card reader" + "CCID card reader"): the model says it all.
  if (vendorWords.length > 1 && vendorWords.at(-1)!.toLowerCase() === modelWords.at(-1)!.toLowerCase()) {
    return cleanModel;
  }
  return `${cleanVendor} ${cleanModel}`;
}
