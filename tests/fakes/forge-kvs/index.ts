import { FakeForgeKvs } from "./backend";

export { FakeForgeKvs, FORGE_KVS_LIMITS, INTERNAL_ERROR, type ForgeKvsFault } from "./backend";

interface ForgeGlobals {
  __forge_fetch__?: unknown;
}

/** A fake KVS installed where @forge/kvs looks for its transport, until `uninstall()`. */
export interface InstalledForgeKvs {
  readonly kvs: FakeForgeKvs;
  uninstall(): void;
}

/**
 * Installs a fresh fake as `global.__forge_fetch__`. @forge/kvs reads that global on every call
 * (and `__forge_runtime__` only at import, to add headers), so installing after import works.
 */
export function installFakeForgeKvs(): InstalledForgeKvs {
  const globals = globalThis as ForgeGlobals;
  const had = Object.prototype.hasOwnProperty.call(globals, "__forge_fetch__");
  const previous = globals.__forge_fetch__;
  const kvs = new FakeForgeKvs();
  globals.__forge_fetch__ = kvs.fetch;
  return {
    kvs,
    uninstall() {
      if (globals.__forge_fetch__ !== kvs.fetch) {
        throw new Error("Another __forge_fetch__ was installed over this fake KVS.");
      }
      if (had) globals.__forge_fetch__ = previous;
      else delete globals.__forge_fetch__;
    },
  };
}
