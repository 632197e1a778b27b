// The de-identification options a catalog applies (PS3.15 E.3), how each is recorded in every de-identified object
// ((0012,0063) in words, (0012,0064) as CID 7050 codes) and how the choice is stored as a catalog setting.

export interface DeidOptions {
  /** Dates are shifted per patient (the same shift for all of a patient's objects) instead of removed. */
  retainLongitudinalModifiedDates: boolean;
  /** Sex, age, size, weight and the other patient characteristics are kept (useful for research). */
  retainPatientCharacteristics: boolean;
  /** Free-text descriptors (the C column) are kept with the object's own identifying values scrubbed from them;
   * off, they get the basic profile's action (removed, emptied or a dummy). */
  cleanDescriptors: boolean;
  /** Burned-in text masked in the pixels: set by research exports of a series with masks (pixel-masks.ts); the
   * stored copies keep their pixels, so a catalog's own options always say false. */
  cleanPixelData: boolean;
}

/** What a new catalog applies: the basic profile with shifted dates, as the app has always stored. */
export const DEFAULT_DEID_OPTIONS: Readonly<DeidOptions> = Object.freeze({
  retainLongitudinalModifiedDates: true,
  retainPatientCharacteristics: false,
  cleanDescriptors: false,
  cleanPixelData: false,
});

export const DEID_OPTIONS_SETTING = 'deid.options';

export interface MethodCode {
  value: string;
  meaning: string;
}

/** CID 7050 De-identification Method, scheme DCM. */
export const METHOD_CODES = {
  basic: { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  cleanPixelData: { value: '113101', meaning: 'Clean Pixel Data Option' },
  cleanDescriptors: { value: '113105', meaning: 'Clean Descriptors Option' },
  retainLongitudinalModifiedDates: { value: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  retainPatientCharacteristics: { value: '113108', meaning: 'Retain Patient Characteristics Option' },
} as const satisfies Record<string, MethodCode>;

/** The profile and every option in use, in code order. */
export function methodCodes(options: DeidOptions): MethodCode[] {
  const codes: MethodCode[] = [METHOD_CODES.basic];
  if (options.cleanPixelData) codes.push(METHOD_CODES.cleanPixelData);
  if (options.cleanDescriptors) codes.push(METHOD_CODES.cleanDescriptors);
  if (options.retainLongitudinalModifiedDates) codes.push(METHOD_CODES.retainLongitudinalModifiedDates);
  if (options.retainPatientCharacteristics) codes.push(METHOD_CODES.retainPatientCharacteristics);
  return codes;
}

const METHOD_WORDS: Record<string, string> = {
  '113100': 'PS3.15 E.1-1 Basic Application Confidentiality Profile',
  '113101': 'Clean Pixel Data Option',
  '113105': 'Clean Descriptors Option',
  '113107': 'Retain Longitudinal Temporal Info Modified Dates Option',
  '113108': 'Retain Patient Characteristics Option',
};

/** (0012,0063) De-identification Method: one LO value per code, each within LO's 64 characters. */
export function methodDescription(options: DeidOptions): string[] {
  return methodCodes(options).map((code) => METHOD_WORDS[code.value] ?? code.meaning);
}

/** Options read back from a stored setting; anything missing or unreadable takes the default. */
export function parseDeidOptions(stored: string | undefined): DeidOptions {
  let value: Partial<DeidOptions> = {};
  try {
    value = stored ? (JSON.parse(stored) as Partial<DeidOptions>) : {};
  } catch {
    value = {};
  }
  const flag = (key: keyof DeidOptions): boolean => (typeof value[key] === 'boolean' ? (value[key] as boolean) : (DEFAULT_DEID_OPTIONS[key] as boolean));
  return {
    retainLongitudinalModifiedDates: flag('retainLongitudinalModifiedDates'),
    retainPatientCharacteristics: flag('retainPatientCharacteristics'),
    cleanDescriptors: flag('cleanDescriptors'),
    cleanPixelData: false,
  };
}
