export type { Store, StoredEntry } from "./store";
export { decodeKeyPart, encodeKeyPart, secretKeys, storeKeys } from "./keys";
export { MemoryStore } from "./memory-store";
export {
  checkForgeKey,
  findForgeKeyViolation,
  FORGE_KEY_PATTERN,
  FORGE_MAX_KEY_LENGTH,
} from "./forge-key-rules";
