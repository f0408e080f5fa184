import type { ParsedWorkspaceFile } from "../workspace/index";
import { cleanText, escapeXml } from "../render/index";

/**
 * The server's home is the org page (`static/pages/org-page`), the same page Jira shows as the
 * app's global page: every team against its target and the company rollup, each team linked to
 * its project page.
 */
export const HOME_PAGE = "org-page";

/** Where the list of every board's pages is. */
export const BOARDS_PATH = "/boards";

/**
 * Every page for every board, and an issue picker per board so the issue panel can be opened for
 * any issue of the workspace.
 */
export function renderBoardsPage(file: ParsedWorkspaceFile): string {
  const boards = file.teams.map((team, index) => {
    const items = (file.items ?? []).filter((item) => item.teamId === team.id);
    const projectKey = items[0]?.id.split("-")[0] ?? team.id;
    return { boardId: index + 1, name: team.name ?? team.id, projectKey, items };
  });
  /** Tracker text as HTML text: escaped, and its controls and bidi overrides made visible. */
  const e = (text: string): string => escapeXml(cleanText(text));
  const query = (board: (typeof boards)[number]): string =>
    `?project=${encodeURIComponent(board.projectKey)}&amp;board=${board.boardId}`;
  const sections = boards.map(
    (board) => `<section class="card">
  <h2>${e(board.name)} <span class="subtle">(${e(board.projectKey)}, board ${board.boardId})</span></h2>
  <p><a href="/pages/project-page/${query(board)}">Project page</a> ·
     <a href="/pages/project-settings/${query(board)}">Project settings</a> ·
     <a href="/pages/gadget/?gadget=board%3A${board.boardId}">Dashboard gadget</a> ·
     <a href="/pages/gadget/?entryPoint=edit&amp;gadget=board%3A${board.boardId}">Gadget settings</a></p>
  <form action="/pages/issue-panel/" method="get" class="row">
    <input type="hidden" name="project" value="${e(board.projectKey)}">
    <input type="hidden" name="board" value="${board.boardId}">
    <label>Issue <select name="issue">${board.items
      .map((item) => `<option value="${e(item.id)}">${e(item.id)} — ${e(item.title)}</option>`)
      .join("")}</select></label>
    <button type="submit">Open issue panel</button>
    <button type="submit" formaction="/pages/issue-context/">Open issue context</button>
  </form>
</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity Split · every board</title>
<style>
body { font: 14px/20px system-ui, sans-serif; margin: 24px; color: #172b4d; }
.card { border: 1px solid #091e4224; border-radius: 3px; padding: 8px 16px; margin: 8px 0; }
.subtle { color: #44546f; font-weight: 400; }
.row { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; }
label { min-width: 0; max-width: 100%; }
h2 { overflow-wrap: anywhere; }
select { max-width: min(480px, 100%); }
@media (prefers-color-scheme: dark) { body { background: #22272b; color: #b6c2cf; } a { color: #579dff; } .subtle { color: #9fadbc; } }
</style></head>
<body><main>
<h1>Capacity Split · every board</h1>
<p>The pages Jira shows, on this workspace. <a href="/">The whole company</a> · <a href="/pages/admin-page/">Admin page</a></p>
${
  sections.length > 0
    ? sections.join("\n")
    : `<p class="card">Nothing pulled yet. If this server mirrors Linear, save an API key and choose the teams on the <a href="/pages/admin-page/">admin page</a>, then sync; the teams appear here.</p>`
}
</main></body></html>`;
}
