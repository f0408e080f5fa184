/**
 * Builds every Custom UI page with Vite into `static/dist/<page>`, the folders `manifest.yml` points
 * Forge at and the self-hosted server serves, then prints each page's gzipped JavaScript against the
 * budgets each page has. The same bundles run in both hosts: `@forge/bridge` stays the real package,
 * and the server provides the bridge it looks for (see `bridge-shim.ts`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

export const PAGES = [
  "issue-panel",
  "issue-context",
  "project-page",
  "project-settings",
  "admin-page",
  "org-page",
  "gadget",
] as const;
export type Page = (typeof PAGES)[number];

/** The package root: the nearest folder up holding `static/pages`, from `src/` or compiled `dist/src/`. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "static", "pages"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find static/pages above the server's files.");
    dir = parent;
  }
  return dir;
}

const ROOT = findRoot();
export const STATIC_DIST = join(ROOT, "static", "dist");

/** Gzipped bytes: the issue panel loads inside every issue view, so it gets the tighter budget. */
const BUDGETS: Readonly<Record<Page, number>> = {
  "issue-panel": 150 * 1024,
  "issue-context": 350 * 1024,
  "project-page": 350 * 1024,
  "project-settings": 350 * 1024,
  "admin-page": 350 * 1024,
  "org-page": 350 * 1024,
  // A dashboard holds many gadgets: it gets the issue panel's tighter budget.
  gadget: 150 * 1024,
};

/** Each page's title; the rest of its HTML is `static/page.html`, the same for every page. */
const TITLES: Readonly<Record<Page, string>> = {
  "issue-panel": "Capacity split",
  "issue-context": "Capacity split",
  "project-page": "Capacity split",
  "project-settings": "Capacity split",
  "admin-page": "Capacity split",
  "org-page": "Capacity split · the whole company",
  gadget: "Capacity split gadget",
};

const TEMPLATE = join(ROOT, "static", "page.html");

/**
 * Gives Vite each page's `index.html` from the one template: the page's folder holds only its
 * code, and Vite takes the HTML as if it were the folder's own file.
 */
function pageHtml(page: Page, html: string): Plugin {
  const id = join(ROOT, "static", "pages", page, "index.html");
  return {
    name: "capacity-split-page-html",
    enforce: "pre",
    resolveId: (source) => (source === id ? id : null),
    load: (source) => (source === id ? html.replace("%PAGE_TITLE%", TITLES[page]) : null),
  };
}

export interface PageSize {
  readonly page: Page;
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
  readonly budget: number;
}

export function missingPages(): Page[] {
  return PAGES.filter((page) => !existsSync(join(STATIC_DIST, page, "index.html")));
}

export async function buildPages(pages: readonly Page[] = PAGES): Promise<PageSize[]> {
  const { build } = await import("vite");
  const html = readFileSync(TEMPLATE, "utf8");
  const sizes: PageSize[] = [];
  for (const page of pages) {
    const outDir = join(STATIC_DIST, page);
    const root = join(ROOT, "static", "pages", page);
    await build({
      configFile: false,
      logLevel: "warn",
      root,
      // Forge serves each resource from its own path, so assets must be relative.
      base: "./",
      plugins: [pageHtml(page, html)],
      build: {
        outDir,
        emptyOutDir: true,
        sourcemap: false,
        reportCompressedSize: false,
        rolldownOptions: { input: join(root, "index.html") },
      },
    });
    sizes.push(measure(page, outDir));
  }
  return sizes;
}

function measure(page: Page, outDir: string): PageSize {
  let jsBytes = 0;
  let jsGzipBytes = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js")) {
        const content = readFileSync(path);
        jsBytes += content.length;
        jsGzipBytes += gzipSync(content).length;
      }
    }
  };
  walk(outDir);
  return { page, jsBytes, jsGzipBytes, budget: BUDGETS[page] };
}

export function formatSizes(sizes: readonly PageSize[]): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  return sizes
    .map(
      (size) =>
        `${size.page.padEnd(17)} JS ${kb(size.jsBytes).padStart(9)}  gzip ${kb(size.jsGzipBytes).padStart(8)}  ` +
        `budget ${kb(size.budget)}  ${size.jsGzipBytes <= size.budget ? "ok" : "OVER BUDGET"}`,
    )
    .join("\n");
}

async function main(): Promise<void> {
  const sizes = await buildPages();
  console.log(formatSizes(sizes));
  if (sizes.some((size) => size.jsGzipBytes > size.budget)) {
    console.error("A page is over its budget: see above.");
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
