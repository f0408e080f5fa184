import { dirname, join, normalize, relative, sep } from "node:path";

/**
 * The layering of the source tree as a lint rule: which folder may import which, that an import
 * from another folder goes through that folder's `index.ts`, and which packages a pure layer may
 * not touch. A module is a folder under `src/` (the store's host-specific implementations,
 * `src/store/forge` and `src/store/sqlite`, are modules of their own, so only their host reaches
 * them); `static/` is one module that may take types, and types only, from `src/app`.
 */
/** A host may use every layer below it; the store's implementations go to their own host only. */
const HOST_MAY_IMPORT = [
  "domain",
  "workspace",
  "render",
  "shared",
  "jira",
  "linear",
  "store",
  "app",
];

const MAY_IMPORT = {
  domain: [],
  shared: [],
  store: [],
  "store/forge": ["store"],
  "store/sqlite": ["store"],
  workspace: ["domain"],
  render: ["domain"],
  jira: ["domain", "workspace", "shared"],
  linear: ["domain", "workspace", "shared"],
  app: ["domain", "workspace", "render", "shared", "jira", "linear", "store"],
  forge: [...HOST_MAY_IMPORT, "store/forge"],
  server: [...HOST_MAY_IMPORT, "store/sqlite"],
  cli: HOST_MAY_IMPORT,
  static: ["domain", "render", "app"],
};

/** Modules a folder may take types from but never values (they would be bundled into a page). */
const TYPES_ONLY = { static: ["app"] };

const IO_PACKAGES = [/^node:/, /^@forge\//, /^@linear\/sdk$/, /^better-sqlite3$/];
const HOST_PACKAGES = [/^@forge\/(api|kvs|resolver|events)$/, /^better-sqlite3$/];

/** Packages a module may not import: pure layers touch no I/O; only a host picks its platform. */
const FORBIDDEN_PACKAGES = {
  domain: IO_PACKAGES,
  render: IO_PACKAGES,
  workspace: IO_PACKAGES,
  shared: IO_PACKAGES,
  jira: HOST_PACKAGES,
  linear: HOST_PACKAGES,
  app: HOST_PACKAGES,
  static: [/^node:/, ...HOST_PACKAGES, /^@linear\/sdk$/],
};

/** The module a repository path belongs to, or null outside `src/` and `static/`. */
export function moduleOf(path) {
  const parts = path.split(/[\\/]/);
  if (parts[0] === "static") return "static";
  if (parts[0] !== "src" || parts.length < 3) return null;
  if (parts[1] === "store" && parts.length > 3 && (parts[2] === "forge" || parts[2] === "sqlite")) {
    return `store/${parts[2]}`;
  }
  return parts[1];
}

const sameFamily = (a, b) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

const rule = {
  meta: {
    type: "problem",
    docs: { description: "Imports follow the layering of ARCHITECTURE.md and go through index.ts" },
    schema: [],
    messages: {
      wrongWay:
        "{{from}} may not import {{to}} ({{spec}}): {{from}} may import {{allowed}}. Move the code to the layer that owns it, or pass it in as a port.",
      deep: "Import {{to}} through its index ({{index}}), not {{spec}}: a module is used only through what its index.ts exports.",
      typesOnly:
        "{{from}} may take only types from {{to}} ({{spec}}): write `import type`, or move the value to a module {{from}} may import.",
      package:
        "{{from}} may not import {{spec}}: it is a pure layer or not the host that picks this platform.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join("/");
    const from = moduleOf(file);
    if (from === null || !(from in MAY_IMPORT)) return {};

    function check(node, spec, typeOnly) {
      if (typeof spec !== "string") return;
      if (!spec.startsWith(".")) {
        if ((FORBIDDEN_PACKAGES[from] ?? []).some((pattern) => pattern.test(spec))) {
          context.report({ node, messageId: "package", data: { from, spec } });
        }
        return;
      }
      const target = relative(root, normalize(join(dirname(context.filename), spec)))
        .split(sep)
        .join("/");
      const to = moduleOf(target) ?? moduleOf(`${target}/index`);
      if (to === null || sameFamily(from, to)) return;
      if (!MAY_IMPORT[from].includes(to)) {
        const allowed = MAY_IMPORT[from].join(", ") || "no other module";
        context.report({ node, messageId: "wrongWay", data: { from, to, spec, allowed } });
        return;
      }
      const index = `src/${to}/index`;
      if (target !== index) {
        context.report({ node, messageId: "deep", data: { to, spec, index } });
        return;
      }
      if ((TYPES_ONLY[from] ?? []).includes(to) && !typeOnly) {
        context.report({ node, messageId: "typesOnly", data: { from, to, spec } });
      }
    }

    const onlyTypes = (node, kindOf) =>
      kindOf(node) === "type" ||
      (node.specifiers.length > 0 && node.specifiers.every((s) => kindOf(s) === "type"));

    return {
      ImportDeclaration(node) {
        check(
          node,
          node.source.value,
          onlyTypes(node, (n) => n.importKind),
        );
      },
      ExportNamedDeclaration(node) {
        if (node.source)
          check(
            node,
            node.source.value,
            onlyTypes(node, (n) => n.exportKind),
          );
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === "type");
      },
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node, node.source.value, false);
      },
    };
  },
};

export default { rules: { imports: rule } };
