import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import layering from "../../eslint-rules/layering.js";

const root = new URL("../../", import.meta.url).pathname;

/** The layering rule alone, on the TypeScript parser: fast, and no other rule's opinion. */
const rule = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ["**/*.ts", "**/*.tsx"],
      languageOptions: { parser: tseslint.parser },
      plugins: { layering },
      rules: { "layering/imports": "error" },
    },
  ],
});

async function problems(linter: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe("the layering lint rule", () => {
  it("fails an import that crosses a layer the wrong way", async () => {
    expect(
      await problems(rule, "src/domain/x.ts", `import { buildReport } from "../app/index";\n`),
    ).toEqual([
      expect.stringMatching(/^layering\/imports: domain may not import app .*no other module/),
    ]);
    expect(
      await problems(
        rule,
        "src/jira/x.ts",
        `import { createServer } from "../server/http-server";\n`,
      ),
    ).toEqual([expect.stringContaining("jira may not import server")]);
    expect(
      await problems(
        rule,
        "src/app/x.ts",
        `import { ForgeKvsStore } from "../store/forge/index";\n`,
      ),
    ).toEqual([expect.stringContaining("app may not import store/forge")]);
  });

  it("fails an import past another module's index.ts", async () => {
    expect(
      await problems(
        rule,
        "src/cli/commands/x.ts",
        `import { JiraClient } from "../../jira/client";\n`,
      ),
    ).toEqual([expect.stringContaining("Import jira through its index (src/jira/index)")]);
  });

  it("fails I/O in a pure layer, and a value a page would bundle from the app", async () => {
    expect(
      await problems(rule, "src/domain/x.ts", `import { readFileSync } from "node:fs";\n`),
    ).toEqual([expect.stringContaining("domain may not import node:fs")]);
    expect(
      await problems(
        rule,
        "static/pages/x/main.tsx",
        `import { RESOLVERS } from "../../../src/app/index";\n`,
      ),
    ).toEqual([expect.stringContaining("static may take only types from app")]);
  });

  it("passes right-way imports through an index, and imports inside a module", async () => {
    const code = [
      `import { computeReport } from "../domain/index";`,
      `import { MemoryStore } from "../store/index";`,
      `import { buildReport } from "./build-report";`,
      `import { z } from "zod";`,
      "",
    ].join("\n");
    expect(await problems(rule, "src/app/x.ts", code)).toEqual([]);
    expect(
      await problems(
        rule,
        "src/server/x.ts",
        `import { SqliteStore } from "../store/sqlite/index";\n`,
      ),
    ).toEqual([]);
    expect(
      await problems(
        rule,
        "static/pages/x/main.tsx",
        `import type { Envelope } from "../../../src/app/index";\n`,
      ),
    ).toEqual([]);
  });

  it("is on in the project's own eslint config, so `npm run check` fails a wrong-way import", async () => {
    const project = new ESLint({ cwd: root });
    const config = (await project.calculateConfigForFile(`${root}src/domain/percent.ts`)) as {
      rules?: Record<string, unknown>;
    };
    expect(config.rules?.["layering/imports"]).toEqual([2]);
  });
});
