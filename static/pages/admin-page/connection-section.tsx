/**
 * How the site reaches Linear. "Connect Linear" sends the admin to Linear to approve the app, which
 * then acts as its own user; a personal API key is the other way, and goes in once and never comes
 * back (the page only ever sees its hint).
 */
import { router } from "@forge/bridge";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { SectionMessage } from "../../shared/ds";
import { FIELD, Help, SectionNote, type SectionProps } from "./section-parts";
import { usePolling } from "./use-polling";

/** Approving the app in Linear's tab: as long as the connection's state stays good (10 minutes). */
const CONNECT_POLL_MS = 3_000;
const POLLS_FOR_CONNECT = 200;

/** Who the connection acts as, in one line; the app user's name is shown as text, never markup. */
function describeConnection(view: LinearConnectionView): string {
  if (view.app !== null) {
    const where = view.app.workspace === null ? "" : ` in the ${view.app.workspace} workspace`;
    return `Connected as the app ${view.app.userName}${where}: what the sync writes shows as the app.`;
  }
  if (view.keyHint !== null) return `Connected with the API key ${view.keyHint}.`;
  return view.oauthAvailable
    ? "Not connected: connect Linear, or paste a Linear API key."
    : "Not connected: paste a Linear API key to connect.";
}

function countTeams(view: LinearConnectionView): string {
  return `${view.teams.length} team${view.teams.length === 1 ? "" : "s"}`;
}

/** The host cannot reach Linear at all (its reason is the host's): nothing to connect. */
export function ConnectionUnavailable({ reason }: { reason: string }): ReactNode {
  const ids = useId();
  return (
    <section aria-labelledby={`${ids}-connection`}>
      <h2 id={`${ids}-connection`}>Connection</h2>
      <SectionMessage appearance="info" title="Linear is not available on this server">
        <p data-testid="connection-state">{reason}</p>
      </SectionMessage>
    </section>
  );
}

export function ConnectionSection({ view, show, actions }: SectionProps): ReactNode {
  const ids = useId();
  const { busy, note, act, setNote } = actions;
  const [apiKey, setApiKey] = useState("");
  /**
   * Set while the admin approves the app in Linear's tab: the consent URL (to open again) and the
   * connection as it was before, so the page sees the new one arrive.
   */
  const [consent, setConsent] = useState<{ url: string; before: string } | null>(null);

  usePolling(
    consent ?? undefined,
    { everyMs: CONNECT_POLL_MS, times: POLLS_FOR_CONNECT, giveUp: () => setConsent(null) },
    () =>
      void callResolver("linear/get", {}).then((outcome) => {
        if (!outcome.ok || JSON.stringify(outcome.data.app) === consent?.before) return;
        show(outcome.data);
        setConsent(null);
        setNote({
          section: "connection",
          kind: "info",
          text: `Linear is connected. It sees ${countTeams(outcome.data)}: choose the ones to sync below.`,
        });
      }),
  );

  const connect = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "connect",
      "connection",
      () => callResolver("linear/connect", { apiKey }),
      (data) => {
        setApiKey("");
        show(data);
        return `Connected. The key sees ${countTeams(data)}: choose the ones to sync below.`;
      },
    );
  };

  const connectApp = (): void => {
    void act(
      "oauth",
      "connection",
      () => callResolver("linear/oauth-start", {}),
      (data) => {
        setConsent({ url: data.url, before: JSON.stringify(view?.app ?? null) });
        router.open(data.url).catch(() => {
          // The host declined to open it (a blocked pop-up): the link in the note still works.
        });
        return "Linear opened in a new tab: approve Capacity split there. This page updates once Linear is connected.";
      },
    );
  };

  const disconnect = (): void => {
    void act(
      "disconnect",
      "connection",
      () => callResolver("linear/disconnect", {}),
      (data) => {
        show(data);
        return "Disconnected: Linear no longer lets the app in, its tokens and any API key are forgotten, and nothing syncs until Linear is connected again.";
      },
    );
  };

  const loading = view === null;
  return (
    <section aria-labelledby={`${ids}-connection`}>
      <h2 id={`${ids}-connection`}>Connection</h2>
      <p data-testid="connection-state" role="status">
        {loading ? "Loading the connection…" : describeConnection(view)}
      </p>
      {view?.oauthAvailable && (
        <>
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={connectApp}
              disabled={busy !== null}
              aria-describedby={`${ids}-oauth-help`}
            >
              {busy === "oauth"
                ? "Opening Linear…"
                : view.app === null
                  ? "Connect Linear"
                  : "Connect Linear again"}
            </button>
            {consent !== null && (
              <a href={consent.url} target="_blank" rel="noopener noreferrer">
                Open Linear&apos;s approval page again
              </a>
            )}
          </div>
          <Help id={`${ids}-oauth-help`}>
            Linear asks a workspace admin to approve Capacity split, which then reads and writes as
            its own app user, not as you. Recommended.
          </Help>
        </>
      )}
      <form onSubmit={connect} className="row" style={{ alignItems: "flex-end" }}>
        <label style={{ flex: "1 1 320px" }}>
          {view?.oauthAvailable ? "Or a Linear API key" : "Linear API key"}
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            style={FIELD}
            required
            value={apiKey}
            placeholder={view?.keyHint != null ? `Paste a new key to replace ${view.keyHint}` : ""}
            aria-describedby={`${ids}-key-help`}
            disabled={loading}
            onChange={(event) => setApiKey(event.target.value)}
          />
        </label>
        <button type="submit" disabled={loading || busy !== null}>
          {busy === "connect"
            ? "Checking the key…"
            : view?.keyHint != null
              ? "Replace key"
              : "Connect with the key"}
        </button>
        {view?.connected && (
          <button type="button" onClick={disconnect} disabled={busy !== null}>
            {busy === "disconnect" ? "Disconnecting…" : "Disconnect"}
          </button>
        )}
      </form>
      <Help id={`${ids}-key-help`}>
        A personal API key is made in Linear under Settings › Security &amp; access; what the sync
        writes then shows as that person.
        {view?.app != null && " While Linear is connected as the app, the app is used."} The key is
        checked with Linear, then kept in secret storage; this page never shows it again.
      </Help>
      <SectionNote note={note} section="connection" />
    </section>
  );
}
