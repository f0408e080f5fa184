/**
 * The admin page. The Linear connection's resolvers (secret key, webhook URL, teams, last sync) come
 * with the Linear sync; until they exist this page says so instead of offering controls that do
 * nothing.
 */
import type { ReactNode } from "react";
import { mountPage } from "../../shared/ui.js";

function AdminPage(): ReactNode {
  return (
    <main>
      <h1>Capacity split · Linear</h1>
      <div className="message message-info" role="status">
        The Linear connection is coming with the Linear sync: this page will store your Linear API
        key as a secret, show the webhook URL to paste into Linear, let you pick the teams to sync
        and show the last sync and its result. Nothing can be configured here yet.
      </div>
    </main>
  );
}

mountPage(<AdminPage />);
