/**
 * The fake Jira and fake Linear as suites use them: started once over loopback before a suite's
 * tests, closed after them, or started inside a test and closed after it.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { startFakeJira, type FakeJira, type FakeJiraOptions } from "../fakes/jira/index";
import { startFakeLinear, type FakeLinear, type FakeLinearOptions } from "../fakes/linear/index";

interface Closable {
  close(): Promise<void>;
}

/**
 * Registers, in the suite it is called in (a file or a `describe`), a `beforeAll` that starts a
 * fake and runs `prepare` on it (seeding it, or reading what the tests share), and an `afterAll` that
 * closes it. Answers a stand-in for the started fake: the tests and hooks of the suite use it as
 * the fake itself; read before the fake started or after it closed, it throws, saying so.
 */
function startForSuite<T extends Closable>(
  what: string,
  start: () => Promise<T>,
  prepare?: (fake: T) => unknown,
): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
    await prepare?.(current);
  });
  afterAll(async () => {
    const started = current;
    current = undefined;
    await started?.close();
  });
  const started = (): T => {
    if (current !== undefined) return current;
    throw new Error(
      `The ${what} is read outside the tests and hooks of the suite that starts it: read it inside an \`it\`, \`beforeAll\` or \`afterAll\` of that suite.`,
    );
  };
  // Only reads pass through: a fake's own fields are read-only, its state changes by its methods.
  return new Proxy(Object.create(null) as T, {
    get: (_, property): unknown => {
      const fake = started();
      const value: unknown = Reflect.get(fake, property, fake);
      if (typeof value !== "function") return value;
      const bound: unknown = value.bind(fake);
      return bound;
    },
    has: (_, property) => Reflect.has(started(), property),
  });
}

/** A fake Jira started before the suite's tests and closed after them (see {@link startForSuite}). */
export function useFakeJira(
  options: FakeJiraOptions,
  prepare?: (fake: FakeJira) => unknown,
): FakeJira {
  return startForSuite("fake Jira", () => startFakeJira(options), prepare);
}

/** A fake Linear started before the suite's tests and closed after them (see {@link startForSuite}). */
export function useFakeLinear(
  options: FakeLinearOptions = {},
  prepare?: (fake: FakeLinear) => unknown,
): FakeLinear {
  return startForSuite("fake Linear", () => startFakeLinear(options), prepare);
}

/**
 * Starts fake Linears inside tests, each closed after the test that started it, including a test
 * that fails.
 */
export function startFakeLinearPerTest(): (options?: FakeLinearOptions) => Promise<FakeLinear> {
  const started: FakeLinear[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options) => {
    const fake = await startFakeLinear(options);
    started.push(fake);
    return fake;
  };
}

/** The id of the board the fake Jira made of a workspace team. */
export function boardIdOf(fake: FakeJira, teamId: string): number {
  const boardId = fake.site.boardIdOf.get(teamId);
  if (boardId === undefined) throw new Error(`The fake Jira has no board of team ${teamId}.`);
  return boardId;
}

/**
 * Environment variables each read from the fake when they are read, so that a suite can make them
 * beside a stand-in that is not started yet.
 */
function envReading<T>(fake: T, variables: Record<string, (fake: T) => string>) {
  const env: Record<string, string> = {};
  for (const [name, read] of Object.entries(variables)) {
    Object.defineProperty(env, name, { get: () => read(fake), enumerable: true });
  }
  return env;
}

/** The CLI's environment for signing in to the fake Jira as its first user. */
export function jiraEnv(fake: FakeJira): Record<string, string> {
  return envReading(fake, {
    JIRA_EMAIL: (jira) => jira.email,
    JIRA_API_TOKEN: (jira) => jira.token,
  });
}

/** The CLI's environment for the fake Linear with its API key. */
export function linearEnv(fake: FakeLinear): Record<string, string> {
  return envReading(fake, {
    LINEAR_API_KEY: (linear) => linear.apiKey,
    LINEAR_API_URL: (linear) => linear.url,
  });
}
