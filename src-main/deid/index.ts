// De-identification (PS3.15 Annex E basic profile from the standard's table, with options), consistent pseudonyms,
// the vault of originals (sealed with a key the OS or a named key file holds) and pseudonymous source names.
export { deidentify, patientIdentity, type Deidentified, type ReidentificationPair, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION } from './deidentify.ts';
export { loadOrCreateKey, remapUid, patientPseudonym, shiftDate, type PseudonymKey } from './pseudonyms.ts';
export { Vault, SealedOriginals } from './vault.ts';
export { PROFILE_ACTIONS, actionFor, profileRow, DEIDENTIFICATION_METHOD, type ElementAction } from './profile.ts';
export { DEFAULT_DEID_OPTIONS, DEID_OPTIONS_SETTING, METHOD_CODES, methodCodes, methodDescription, parseDeidOptions, type DeidOptions } from './options.ts';
export { keyFileHolder, unlockedKeyHolder, defaultVaultKeyFile, VAULT_KEY_FILE_ENV, type VaultKeyHolder } from './vault-key-holder.ts';
export { unlockVaultKeys, VAULT_DIR, VAULT_LOCKED_SENTENCE, type VaultKeys, LEGACY_PSEUDONYM_KEY, setLockedVaultAside } from './vault-keys.ts';
export { sourceId, sourceFileId, withIds } from './source-names.ts';
export { deidentificationMethodElements } from './method-elements.ts';
export { checkedMasks, instancePixelCleaning, maskedPixels, seriesMasks, seriesPixelCleaning, setSeriesMasks, MAX_MASKS, type BurnedIn, type MaskRect, type PixelCleaning } from './pixel-masks.ts';
