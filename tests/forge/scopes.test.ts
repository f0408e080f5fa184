import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { JIRA_ROUTE_SCOPES, OTHER_SCOPES, requiredScopes } from "../../src/jira/scopes";

const root = new URL("../../", import.meta.url).pathname;
const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8")) as {
  permissions: { scopes: string[] };
  modules: { trigger: { events: string[] }[] };
};

/** `/rest/api/3/issue/{}`: path parameters, named or interpolated, as one placeholder. */
const shape = (path: string) => path.replace(/\{[^}]*\}|\$\{[^}]*\}/g, "{}");

/** Every `method: "X", path: jiraPath\`…\`` in src/, the one way the code names a Jira request. */
function calledRoutes(): { call: string; file: string }[] {
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(root, "src", file));
  const calls: { call: string; file: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const code = text
      .split("\n")
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join("\n");
    const sites = code.match(/jiraPath`/g)?.length ?? 0;
    const found = [...code.matchAll(/method:\s*"([A-Z]+)",\s*path:\s*jiraPath`([^`]*)`/g)];
    // A call site written another way would escape the check below.
    expect(found.length, `${file}: jiraPath call sites not of the form method + path`).toBe(sites);
    for (const [, method, path] of found) {
      calls.push({ call: `${method} ${shape(path ?? "")}`, file });
    }
  }
  return calls;
}

describe("the Jira scopes the app asks for", () => {
  it("are exactly the scopes its routes and events need: none missing, none unused", () => {
    expect([...manifest.permissions.scopes].sort()).toEqual(requiredScopes());
  });

  it("cover every route the code calls, and the table lists no route the code does not call", () => {
    const called = calledRoutes();
    expect(called.length).toBeGreaterThan(10);
    const table = new Set(JIRA_ROUTE_SCOPES.map((r) => `${r.method} ${shape(r.path)}`));
    for (const { call, file } of called) expect(table.has(call), `${call} in ${file}`).toBe(true);
    const calledSet = new Set(called.map(({ call }) => call));
    for (const route of table) expect(calledSet.has(route), `${route} is not called`).toBe(true);
  });

  it("cover every product event manifest.yml subscribes to", () => {
    const events = manifest.modules.trigger.flatMap((trigger) => trigger.events);
    const known = new Set(OTHER_SCOPES.map((entry) => entry.use));
    for (const event of events) expect(known.has(event), event).toBe(true);
  });

  it("ask for each product event no more than Atlassian's event-to-scope table lists for it", () => {
    const table = JSON.parse(
      readFileSync(
        join(root, "node_modules/@forge/manifest/out/mapping/product-event-to-scope-mapping.json"),
        "utf8",
      ),
    ) as { mapping: { productEvent: string; oAuthScopes: { current?: string[] } }[] };
    const events = OTHER_SCOPES.filter((entry) => entry.use.startsWith("avi:"));
    expect(events.length).toBeGreaterThan(0);
    for (const { use, scopes } of events) {
      const row = table.mapping.find((entry) => entry.productEvent === use);
      expect(row, use).toBeDefined();
      expect([...scopes].sort(), use).toEqual([...(row?.oAuthScopes.current ?? [])].sort());
    }
  });
});
