/**
 * Forge's key rules: at most 500 characters, only letters, digits, `:._-#` and whitespace, and not
 * whitespace alone. The documented pattern is `/^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/`, whose `\s-#` is
 * not a range (a class escape cannot bound one), so `-` and `#` are plain members as here.
 * @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/
 */
export const FORGE_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s#-]+$/;
export const FORGE_MAX_KEY_LENGTH = 500;

/** Why Forge would refuse `key`, or undefined when it accepts it. */
export function findForgeKeyViolation(key: string): string | undefined {
  if (key.length > FORGE_MAX_KEY_LENGTH) {
    return `it is ${key.length} characters long and Forge allows at most ${FORGE_MAX_KEY_LENGTH}`;
  }
  if (!FORGE_KEY_PATTERN.test(key)) {
    return `Forge keys must match ${String(FORGE_KEY_PATTERN)} (letters, digits, ":._-#" and spaces, not only spaces)`;
  }
  return undefined;
}

/** The error to raise when Forge would refuse `key`, naming the key and the rule it breaks. */
export function checkForgeKey(key: string): Error | undefined {
  const violation = findForgeKeyViolation(key);
  return violation === undefined
    ? undefined
    : new Error(`Storage key ${JSON.stringify(key)} would be refused by Forge: ${violation}.`);
}
