// De-identification (PS3.15 Annex E basic profile), consistent pseudonyms, and the vault of originals.
export { deidentify, patientIdentity, type Deidentified, type ReidentificationPair } from './deidentify.ts';
export { loadOrCreateKey, remapUid, patientPseudonym, shiftDate, type PseudonymKey } from './pseudonyms.ts';
export { Vault } from './vault.ts';
export { PROFILE_ACTIONS, actionFor, DEIDENTIFICATION_METHOD } from './profile.ts';
