import { describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { NOW } from "../jira/helpers";
import {
  boardIdOf,
  jiraEnv,
  linearEnv,
  startFakeLinearPerTest,
  useFakeJira,
  useFakeLinear,
} from "./fake-trackers";

/** Whether anything still answers HTTP at the URL. */
async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

const urls: Record<string, string> = {};

describe("useFakeJira", () => {
  let seenByPrepare = "";
  const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
    seenByPrepare = started.url;
  });
  const env = jiraEnv(fake);
  let readTooEarly: unknown = null;
  try {
    readTooEarly = fake.url;
  } catch (error) {
    readTooEarly = error;
  }

  it("refuses to be read while the suite is being collected, before the fake started", () => {
    expect(readTooEarly).toBeInstanceOf(Error);
    expect((readTooEarly as Error).message).toMatch(/^The fake Jira is read outside the tests/);
  });

  it("stands for the fake that `prepare` was given, its state and methods included", async () => {
    expect(fake.url).toBe(seenByPrepare);
    expect(await answers(fake.url)).toBe(true);
    await fetch(`${fake.url}/rest/api/3/field`);
    expect(fake.totalRequests()).toBeGreaterThan(0);
    fake.resetRequests();
    expect(fake.totalRequests()).toBe(0);
    urls.jira = fake.url;
  });

  it("gives the CLI the first user's credentials, read when the CLI reads them", () => {
    expect({ ...env }).toEqual({ JIRA_EMAIL: fake.email, JIRA_API_TOKEN: fake.token });
  });

  it("finds a team's board, and names a team that has none", () => {
    expect(boardIdOf(fake, "PAY")).toBe(fake.site.boardIdOf.get("PAY"));
    expect(() => boardIdOf(fake, "NOPE")).toThrow("The fake Jira has no board of team NOPE.");
  });
});

describe("useFakeLinear", () => {
  const fake = useFakeLinear({ workspace: generateDemoWorkspace(NOW), seed: { now: NOW } });
  const env = linearEnv(fake);

  it("stands for a started fake Linear, and gives the CLI its key and URL", async () => {
    expect(await answers(fake.url)).toBe(true);
    expect({ ...env }).toEqual({ LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: fake.url });
    urls.linear = fake.url;
  });
});

describe("startFakeLinearPerTest", () => {
  const startFake = startFakeLinearPerTest();

  it("starts a fake inside a test", async () => {
    const fake = await startFake();
    expect(await answers(fake.url)).toBe(true);
    urls.perTest = fake.url;
  });

  it("has closed it once that test ended", async () => {
    expect(urls.perTest).toBeDefined();
    expect(await answers(urls.perTest ?? "")).toBe(false);
  });
});

describe("after the suites that started them", () => {
  it("the fakes are closed", async () => {
    expect(Object.keys(urls).sort()).toEqual(["jira", "linear", "perTest"]);
    expect(await answers(urls.jira ?? "")).toBe(false);
    expect(await answers(urls.linear ?? "")).toBe(false);
  });
});
