import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The pages are typed by the resolver contract: this compiles the pages' project
 * (`static/tsconfig.json`, exactly as `npm run typecheck` does) once as the contract is, and once
 * with the contract's answers and a payload changed in memory, and reads where it fails.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONTRACT = resolve(ROOT, "src/app/contract.ts");

interface Problem {
  readonly file: string;
  readonly message: string;
}

/**
 * The pages' program with `contract.ts` read as `contractText`: the diagnostics of `files` (the
 * checker reads whatever they depend on; the rest of the pages is `npm run typecheck`'s to check).
 */
function typecheckPages(contractText: string, files: readonly string[]): Problem[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(ROOT, "static/tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("static/tsconfig.json could not be read");
  const host = ts.createCompilerHost(config.options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    resolve(fileName) === CONTRACT
      ? ts.createSourceFile(fileName, contractText, language)
      : readSource(fileName, language, ...rest);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return files.flatMap((file) => {
    const source = program.getSourceFile(resolve(ROOT, file));
    if (!source) throw new Error(`${file} is not part of the pages' program`);
    return [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].map((diagnostic) => ({
      file,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    }));
  });
}

/** `text` with `from` replaced by `to`; `from` must occur exactly once, or the premise is gone. */
function change(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) {
    throw new Error(`The contract no longer holds exactly one ${JSON.stringify(from)}.`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Changes to the contract, each with where it must fail and a word the failure names. */
const CHANGES = [
  {
    what: "a field of report/get's answer renamed",
    from: "readonly computedAt: string;",
    to: "readonly computedAtIso: string;",
    fails: [
      { file: "static/pages/project-page/main.tsx", names: "computedAt" },
      { file: "src/app/resolvers.ts", names: "computedAtIso" },
    ],
  },
  {
    what: "org-target/list answering under another name",
    from: "answer: answer<{ entries: OrgTargetEntry[]; unreadable: number }>()",
    to: "answer: answer<{ declarations: OrgTargetEntry[]; unreadable: number }>()",
    fails: [
      { file: "static/shared/company-target.tsx", names: "entries" },
      { file: "src/app/resolvers.ts", names: "declarations" },
    ],
  },
  {
    what: "the admin page's linear/sync-now answering only the last sync",
    from: '"linear/sync-now": { payload: noPayload, answer: answer<SyncNowAnswer>() }',
    to: '"linear/sync-now": { payload: noPayload, answer: answer<LastLinearSync | null>() }',
    fails: [
      { file: "static/pages/admin-page/sync-section.tsx", names: "lastSync" },
      { file: "src/app/linear-admin.ts", names: `ResolverHandler<"linear/sync-now">` },
    ],
  },
  {
    what: "item/classify no longer taking null to clear a category",
    from: 'category: z.enum(["roadmap", "investment"]).nullable(),',
    to: 'category: z.enum(["roadmap", "investment"]),',
    fails: [{ file: "static/pages/issue-panel/main.tsx", names: "null" }],
  },
] as const;

describe("the pages' typecheck follows the resolver contract", () => {
  const original = ts.sys.readFile(CONTRACT);
  if (original === undefined) throw new Error(`${CONTRACT} could not be read`);

  it("passes on the contract as it is, and fails in the page when an answer or payload changes", () => {
    const files = [...new Set(CHANGES.flatMap(({ fails }) => fails.map(({ file }) => file)))];
    expect(typecheckPages(original, files)).toEqual([]);

    const changed = CHANGES.reduce((text, { from, to }) => change(text, from, to), original);
    const problems = typecheckPages(changed, files);
    for (const { what, fails } of CHANGES) {
      for (const { file, names } of fails) {
        const here = problems.filter((problem) => problem.file === file);
        expect(
          here.some((problem) => problem.message.includes(names)),
          `${what}: expected ${file} to fail naming ${names}; it reported ${JSON.stringify(here)}`,
        ).toBe(true);
      }
    }
  }, 300_000);
});
