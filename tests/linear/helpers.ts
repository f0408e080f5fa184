import { LinearSyncClient, type LinearRetryEvent } from "../../src/linear/index";
import type { FakeLinear } from "../fakes/linear/index";

export const NOW = Date.parse("2026-11-24T00:00:00Z");

/** A client of the fake over loopback whose retries wait no real time; the waits are recorded. */
export function linearClientFor(
  fake: FakeLinear,
  options: { apiKey?: string } = {},
): { client: LinearSyncClient; waits: LinearRetryEvent[] } {
  const waits: LinearRetryEvent[] = [];
  const client = new LinearSyncClient({
    apiKey: options.apiKey ?? fake.apiKey,
    apiUrl: fake.url,
    now: () => Date.now(),
    retry: {
      sleep: () => Promise.resolve(),
      random: () => 0.5,
      onRetry: (event) => waits.push(event),
    },
  });
  return { client, waits };
}
