import * as forgeResolver from "@forge/resolver";
import { z } from "zod";
import { RESOLVERS, runResolver, type CallContext } from "../app/index";
import { JiraClient } from "../jira/index";
import { ForgeKvsStore } from "../store/forge/index";
import { createForgeTransport } from "./jira-transport";
import { forgeLinearPort } from "./linear-handlers";
import { enqueueBulk } from "./bulk-handlers";
import { enqueueBoardSync } from "./sync-handlers";

/** The part of Forge's invocation context the resolvers trust: who calls, from which project. */
const forgeContextSchema = z.object({
  accountId: z.string().optional(),
  extension: z.object({ project: z.object({ key: z.string() }).optional() }).optional(),
});

export function toCallContext(context: unknown): CallContext {
  const parsed = forgeContextSchema.safeParse(context);
  return {
    accountId: parsed.success ? (parsed.data.accountId ?? null) : null,
    projectKey: parsed.success ? (parsed.data.extension?.project?.key ?? null) : null,
  };
}

/** The longest rate-limit wait a resolver sits out inside Forge's 25 s. */
const RESOLVER_MAX_WAIT_MS = 5_000;

interface ResolverLike {
  define(key: string, run: (request: { payload: unknown; context: unknown }) => unknown): unknown;
  getDefinitions(): unknown;
}

/**
 * `@forge/resolver` is CommonJS with `exports.default`: Node's ESM loader hands over the module,
 * Forge's bundler the class itself, so take the class from either.
 */
function resolverClass(exported: unknown): new () => ResolverLike {
  const candidate =
    typeof exported === "function"
      ? exported
      : exported !== null && typeof exported === "object" && "default" in exported
        ? exported.default
        : undefined;
  if (typeof candidate !== "function") throw new Error("@forge/resolver exports no Resolver class");
  return candidate as new () => ResolverLike;
}

const resolver = new (resolverClass(forgeResolver.default))();
for (const key of Object.keys(RESOLVERS)) {
  resolver.define(key, ({ payload, context }) => {
    // A resolver has 25 s: a longer rate-limit wait is answered with "try again in N s" instead.
    const jira = new JiraClient(createForgeTransport(), {
      retry: { maxAttempts: 3, maxRetryAfterMs: RESOLVER_MAX_WAIT_MS },
    });
    const store = new ForgeKvsStore();
    return runResolver(key, payload, toCallContext(context), {
      jira,
      store,
      now: Date.now,
      enqueueBoardSync,
      enqueueBulk,
      linear: forgeLinearPort(jira, store),
    });
  });
}

/** Every resolver of the contract (`src/app/contract.ts`), served to the Custom UI pages. */
export const handler = resolver.getDefinitions();
