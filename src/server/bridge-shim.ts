/**
 * What the self-hosted server gives the pages in place of Jira's host frame. `@forge/bridge` looks
 * for `globalThis.__bridge.callBridge` when its modules load, so this classic script runs before the
 * page's module and the bundles stay byte for byte the ones Forge ships. It answers the calls the
 * pages make: `invoke` (over `POST /api/resolve/{key}`), `getContext` (from the page's URL:
 * `?project=PAY&board=1&issue=PAY-12`), `enableTheming` (the browser's colour scheme),
 * `navigate` (the router: an issue opens at `/browse/KEY`, other places only on this server, and
 * an outside address, such as Linear's approval page, only in a new tab, as Jira opens one) and
 * `submit` (a dashboard gadget's edit view; `?entryPoint=edit` opens it; `?gadget=board:3` shows
 * one board's gadget without saving the choice).
 */
export const BRIDGE_SHIM_JS = `(() => {
  const params = new URLSearchParams(location.search);
  const project = params.get("project");
  const board = params.get("board");
  const issue = params.get("issue");
  // A dashboard gadget's configuration, kept by this browser as Jira keeps it per gadget.
  const GADGET_KEY = "capacity-split:gadget-configuration";
  let gadgetConfiguration = {};
  try {
    gadgetConfiguration = JSON.parse(localStorage.getItem(GADGET_KEY) || "{}");
  } catch {
    gadgetConfiguration = {};
  }
  // A link to one team's gadget (the board list's): shown, not saved.
  const shown = params.get("gadget");
  if (shown && /^(board|linear):[^\\s]{1,100}$/.test(shown)) {
    gadgetConfiguration = { show: "team", key: shown };
  }
  const context = {
    accountId: "local-user",
    localId: "self-hosted",
    extension: {
      project: project ? { key: project } : undefined,
      issue: issue ? { key: issue } : undefined,
      boardId: board ? Number(board) : undefined,
      entryPoint: params.get("entryPoint") || undefined,
      gadgetConfiguration,
    },
  };
  // view.submit from a gadget's edit view: kept, then the gadget shows its view as Jira does.
  function submit(payload) {
    localStorage.setItem(GADGET_KEY, JSON.stringify(payload ?? {}));
    const next = new URL(location.href);
    next.searchParams.delete("entryPoint");
    next.searchParams.delete("gadget");
    location.assign(next.href);
    return true;
  }
  async function invoke(payload) {
    const headers = { "content-type": "application/json" };
    if (project) headers["x-capacity-project"] = project;
    const response = await fetch("/api/resolve/" + payload.functionKey, {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify(payload.payload ?? {}),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { ok: false, error: { code: "UPSTREAM", message: "The server answered " + response.status + ": " + text.slice(0, 200) } };
    }
  }
  function enableTheming() {
    const dark = matchMedia("(prefers-color-scheme: dark)");
    const apply = () => document.documentElement.setAttribute("data-color-mode", dark.matches ? "dark" : "light");
    apply();
    dark.addEventListener("change", apply);
  }
  function navigate(where) {
    const url = where && where.target === "issue" && typeof where.issueKey === "string"
      ? "/browse/" + encodeURIComponent(where.issueKey)
      : where && where.url;
    const outside = typeof url === "string" && where.type === "new-tab" &&
      (url.startsWith("https://") || url.startsWith("http://"));
    if (typeof url !== "string" || (!outside && (!url.startsWith("/") || url.startsWith("//")))) return;
    if (where.type === "new-tab") window.open(url, "_blank", "noopener");
    else location.assign(url);
  }
  globalThis.__bridge = {
    callBridge: async (name, payload) => {
      if (name === "invoke") return invoke(payload);
      if (name === "getContext") return context;
      if (name === "enableTheming") return enableTheming();
      if (name === "navigate") return navigate(payload);
      if (name === "submit") return submit(payload);
      return undefined;
    },
  };
})();
`;
