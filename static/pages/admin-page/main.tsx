/**
 * The admin page: the company target, and the site's Linear connection. "Connect Linear" sends the
 * admin to Linear to approve the app, which then acts as its own user; a personal API key is the
 * other way, and goes in once and never comes back (the page only ever sees its hint). The webhook
 * URL and signing secret wire Linear's events in; the teams and switches decide what the sync
 * does; "Sync now" runs it and shows what it did.
 */
import { router } from "@forge/bridge";
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver, type Outcome } from "../../shared/client";
import { SectionMessage } from "../../shared/ds";
import { ErrorMessage, formatUtcMinute, mountPage } from "../../shared/ui";
import { CompanyTarget } from "../../shared/company-target";

type Section = "connection" | "webhook" | "teams" | "sync";
type Action = "connect" | "oauth" | "disconnect" | "secret" | "save" | "sync";

interface Note {
  readonly section: Section;
  readonly kind: "info" | "error";
  readonly text: string;
}

function SectionNote({ note, section }: { note: Note | null; section: Section }): ReactNode {
  if (note === null || note.section !== section) return null;
  if (note.kind === "error") return <ErrorMessage message={note.text} />;
  return (
    <div className="message message-info" role="status">
      {note.text}
    </div>
  );
}

function Help({ id, children }: { id: string; children: ReactNode }): ReactNode {
  return (
    <p id={id} className="subtle" style={{ margin: "2px 0 0", fontWeight: 400 }}>
      {children}
    </p>
  );
}

/** A queued sync of a few teams runs within a minute or two; after that, reloading tells. */
const POLL_MS = 5_000;
const POLLS_FOR_QUEUED_SYNC = 36;
/** Approving the app in Linear's tab: as long as the connection's state stays good (10 minutes). */
const CONNECT_POLL_MS = 3_000;
const POLLS_FOR_CONNECT = 200;

/**
 * Calls `tick` every `everyMs` while `watching` is set, at most `times` times, then `giveUp`. A new
 * value of `watching` starts over, with the `tick` of the render that set it.
 */
function usePolling(
  watching: unknown,
  options: { readonly everyMs: number; readonly times: number; readonly giveUp: () => void },
  tick: () => void,
): void {
  const { everyMs, times } = options;
  useEffect(() => {
    if (watching === undefined) return;
    let polls = 0;
    const timer = setInterval(() => {
      polls += 1;
      if (polls > times) return options.giveUp();
      tick();
    }, everyMs);
    return () => clearInterval(timer);
    // The tick and give-up of the render that set `watching` are the ones to keep calling.
  }, [watching, everyMs, times]);
}

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

/** Labels are bold; what a person types or copies is not. */
const FIELD = { fontWeight: 400 } as const;

function AdminPage(): ReactNode {
  const ids = useId();
  const [view, setView] = useState<LinearConnectionView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [apiKey, setApiKey] = useState("");
  const [secret, setSecret] = useState("");
  const [selected, setSelected] = useState<readonly string[]>([]);
  const [publish, setPublish] = useState(true);
  const [writeBack, setWriteBack] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  /** Set while waiting for a queued sync: the time of the last sync recorded before it. */
  const [awaitingAfter, setAwaitingAfter] = useState<string | null | undefined>(undefined);
  /**
   * Set while the admin approves the app in Linear's tab: the consent URL (to open again) and the
   * connection as it was before, so the page sees the new one arrive.
   */
  const [consent, setConsent] = useState<{ url: string; before: string } | null>(null);

  const show = useCallback((next: LinearConnectionView) => {
    setView(next);
    setSelected(next.selectedTeams);
    setPublish(next.publish);
    setWriteBack(next.writeBack);
  }, []);

  const load = useCallback(async () => {
    const outcome = await callResolver("linear/get", {});
    if (!outcome.ok) return setLoadError(outcome.message);
    setLoadError(null);
    show(outcome.data);
  }, [show]);

  useEffect(() => {
    void load();
  }, [load]);

  usePolling(
    awaitingAfter,
    { everyMs: POLL_MS, times: POLLS_FOR_QUEUED_SYNC, giveUp: () => setAwaitingAfter(undefined) },
    () =>
      void callResolver("linear/last-sync", {}).then((outcome) => {
        if (!outcome.ok || (outcome.data?.at ?? null) === awaitingAfter) return;
        // Only the record: the form may hold edits the person has not saved yet.
        setView((current) => current && { ...current, lastSync: outcome.data });
        setAwaitingAfter(undefined);
      }),
  );

  usePolling(
    consent ?? undefined,
    { everyMs: CONNECT_POLL_MS, times: POLLS_FOR_CONNECT, giveUp: () => setConsent(null) },
    () =>
      void callResolver("linear/get", {}).then((outcome) => {
        if (!outcome.ok || JSON.stringify(outcome.data.app) === consent?.before) return;
        show(outcome.data);
        setConsent(null);
        const teams = outcome.data.teams.length;
        setNote({
          section: "connection",
          kind: "info",
          text: `Linear is connected. It sees ${teams} team${teams === 1 ? "" : "s"}: choose the ones to sync below.`,
        });
      }),
  );

  /** Runs one action; its outcome becomes a note in the section the person acted in. */
  const act = async <T,>(
    action: Action,
    section: Section,
    run: () => Promise<Outcome<T>>,
    done: (data: T) => string | Omit<Note, "section">,
  ): Promise<void> => {
    setBusy(action);
    setNote(null);
    const outcome = await run();
    setBusy(null);
    if (!outcome.ok) return setNote({ section, kind: "error", text: outcome.message });
    const said = done(outcome.data);
    setNote({ section, ...(typeof said === "string" ? { kind: "info", text: said } : said) });
  };

  const connect = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "connect",
      "connection",
      () => callResolver("linear/connect", { apiKey }),
      (data) => {
        setApiKey("");
        show(data);
        return `Connected. The key sees ${data.teams.length} team${data.teams.length === 1 ? "" : "s"}: choose the ones to sync below.`;
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

  const saveSecret = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "secret",
      "webhook",
      () => callResolver("linear/webhook-secret", { secret }),
      (data) => {
        setSecret("");
        show(data);
        return "Signing secret saved: webhooks signed with it are accepted from now on.";
      },
    );
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "save",
      "teams",
      () => callResolver("linear/settings", { teamKeys: selected, publish, writeBack }),
      (data) => {
        show(data);
        return data.selectedTeams.length === 0
          ? "Saved. No team is chosen, so nothing will sync."
          : `Saved. The sync covers ${data.selectedTeams.join(", ")}.`;
      },
    );
  };

  const syncNow = (): void => {
    const before = view?.lastSync?.at ?? null;
    void act(
      "sync",
      "sync",
      () => callResolver("linear/sync-now", {}),
      (data) => {
        setView((current) => current && { ...current, lastSync: data.lastSync });
        if (!data.ok) return { kind: "error", text: `The sync failed: ${data.message}` };
        // Forge queues the sync (a resolver has 25 s), so its record comes later: watch for it.
        if ((data.lastSync?.at ?? null) === before) setAwaitingAfter(before);
        return data.message;
      },
    );
  };

  const copyWebhookUrl = async (url: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Copied to the clipboard.");
    } catch {
      // Some hosts deny the clipboard to framed pages; selecting the text leaves one key press.
      const field = document.getElementById(`${ids}-webhook-url`);
      if (field instanceof HTMLInputElement) field.select();
      setCopied("The clipboard is not available here: the URL is selected, press Ctrl+C (⌘C).");
    }
  };

  const loading = view === null;
  const connected = view?.connected ?? false;
  const dirty =
    view !== null &&
    (publish !== view.publish ||
      writeBack !== view.writeBack ||
      selected.length !== view.selectedTeams.length ||
      selected.some((key) => !view.selectedTeams.includes(key)));

  return (
    <main style={{ maxWidth: 760 }} aria-busy={loading && loadError === null}>
      <CompanyTarget />
      <h1>Capacity split · Linear</h1>
      {loadError !== null && (
        <>
          <ErrorMessage message={loadError} />
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </>
      )}
      {view?.unavailable != null && (
        <section aria-labelledby={`${ids}-connection`}>
          <h2 id={`${ids}-connection`}>Connection</h2>
          <SectionMessage appearance="info" title="Linear cannot be connected here">
            <p data-testid="connection-state">{view.unavailable}</p>
          </SectionMessage>
        </section>
      )}
      {(loadError === null || view !== null) && view?.unavailable == null && (
        <>
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
                  Linear asks a workspace admin to approve Capacity split, which then reads and
                  writes as its own app user, not as you. Recommended.
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
                  placeholder={
                    view?.keyHint != null ? `Paste a new key to replace ${view.keyHint}` : ""
                  }
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
              {connected && (
                <button type="button" onClick={disconnect} disabled={busy !== null}>
                  {busy === "disconnect" ? "Disconnecting…" : "Disconnect"}
                </button>
              )}
            </form>
            <Help id={`${ids}-key-help`}>
              A personal API key is made in Linear under Settings › Security &amp; access; what the
              sync writes then shows as that person.
              {view?.app != null && " While Linear is connected as the app, the app is used."} The
              key is checked with Linear, then kept in secret storage; this page never shows it
              again.
            </Help>
            <SectionNote note={note} section="connection" />
          </section>

          <section aria-labelledby={`${ids}-webhook`}>
            <h2 id={`${ids}-webhook`}>Webhook</h2>
            {view !== null && view.webhookUrl === null ? (
              <p className="message message-warning">
                This host has no address Linear can reach, so changes arrive only with the scheduled
                and manual syncs.
              </p>
            ) : (
              <>
                <div className="row" style={{ alignItems: "flex-end" }}>
                  <label style={{ flex: "1 1 420px" }}>
                    Webhook URL
                    <input
                      id={`${ids}-webhook-url`}
                      type="text"
                      readOnly
                      style={FIELD}
                      value={view?.webhookUrl ?? ""}
                      placeholder={loading ? "Loading…" : ""}
                      onFocus={(event) => event.target.select()}
                    />
                  </label>
                  <button
                    type="button"
                    disabled={!view?.webhookUrl}
                    onClick={() => {
                      if (view?.webhookUrl) void copyWebhookUrl(view.webhookUrl);
                    }}
                  >
                    Copy URL
                  </button>
                </div>
                <p className="subtle" role="status" style={{ minHeight: 20, margin: "4px 0" }}>
                  {copied}
                </p>
                <ol>
                  <li>In Linear, open Settings › API › Webhooks and create a new webhook.</li>
                  <li>Paste the URL above, and tick the Issue and Cycle events.</li>
                  <li>Save it, then copy the signing secret Linear shows and save it here.</li>
                </ol>
              </>
            )}
            <form onSubmit={saveSecret} className="row" style={{ alignItems: "flex-end" }}>
              <label style={{ flex: "1 1 320px" }}>
                Webhook signing secret
                <input
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  style={FIELD}
                  required
                  value={secret}
                  aria-describedby={`${ids}-secret-help`}
                  disabled={loading}
                  onChange={(event) => setSecret(event.target.value)}
                />
              </label>
              <button type="submit" disabled={loading || busy !== null}>
                {busy === "secret" ? "Saving…" : "Save secret"}
              </button>
            </form>
            <Help id={`${ids}-secret-help`}>
              {view?.webhookSecretSet
                ? "A signing secret is saved. Paste a new one to replace it."
                : "No signing secret saved yet: webhooks cannot be verified until one is."}
            </Help>
            <SectionNote note={note} section="webhook" />
          </section>

          <section aria-labelledby={`${ids}-teams`}>
            <h2 id={`${ids}-teams`}>Teams and what the sync does</h2>
            <form onSubmit={save}>
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend style={{ fontWeight: 600 }}>Teams to sync</legend>
                {loading ? (
                  <p className="subtle">Loading the teams…</p>
                ) : !connected ? (
                  <p className="subtle">Connect Linear to see the teams it can reach.</p>
                ) : view.teamsError !== null ? (
                  <ErrorMessage message={view.teamsError} />
                ) : view.teams.length === 0 ? (
                  <p className="subtle">The connection sees no teams.</p>
                ) : (
                  <div className="row" style={{ margin: "4px 0" }}>
                    {view.teams.map((team) => (
                      <label key={team.key} style={{ flexDirection: "row", fontWeight: 400 }}>
                        <input
                          type="checkbox"
                          checked={selected.includes(team.key)}
                          onChange={(event) =>
                            setSelected(
                              event.target.checked
                                ? [...selected, team.key]
                                : selected.filter((key) => key !== team.key),
                            )
                          }
                        />
                        {team.name} ({team.key})
                      </label>
                    ))}
                  </div>
                )}
              </fieldset>
              <Toggle
                label="Publish reports inside Linear"
                checked={publish}
                disabled={loading}
                onChange={setPublish}
                help="Each synced team gets a project holding a living report document, updated on every sync, and one project update per closed cycle."
              />
              <Toggle
                label="Write categories back as labels"
                checked={writeBack}
                disabled={loading}
                onChange={setWriteBack}
                help="Also labels issues whose category comes from a parent or a rule, so Linear's filters can use it. Never changes a label a person set. Off unless you turn it on."
              />
              <div className="row" style={{ marginTop: 8 }}>
                <button
                  type="submit"
                  className="primary"
                  disabled={loading || !connected || busy !== null}
                >
                  {busy === "save" ? "Saving…" : "Save"}
                </button>
                {dirty && <span className="subtle">Unsaved changes.</span>}
              </div>
            </form>
            <SectionNote note={note} section="teams" />
          </section>

          <section aria-labelledby={`${ids}-sync`}>
            <h2 id={`${ids}-sync`}>Sync</h2>
            <div className="row">
              <button
                type="button"
                onClick={syncNow}
                disabled={loading || !connected || busy !== null}
                aria-describedby={`${ids}-sync-help`}
              >
                {busy === "sync" ? "Syncing…" : "Sync now"}
              </button>
            </div>
            <Help id={`${ids}-sync-help`}>
              Runs one sync of the saved teams now, with the saved settings; the scheduled sync
              keeps running as well.
            </Help>
            <SectionNote note={note} section="sync" />
            <LastSync view={view} awaiting={awaitingAfter !== undefined} />
          </section>
        </>
      )}
    </main>
  );
}

function Toggle({
  label,
  help,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  help: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}): ReactNode {
  const id = useId();
  return (
    <div style={{ margin: "8px 0" }}>
      <label style={{ flexDirection: "row", alignItems: "center" }}>
        <input
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={disabled}
          aria-describedby={id}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      <Help id={id}>{help}</Help>
    </div>
  );
}

function LastSync({
  view,
  awaiting,
}: {
  view: LinearConnectionView | null;
  awaiting: boolean;
}): ReactNode {
  const last = view?.lastSync ?? null;
  return (
    <div data-testid="last-sync" className="card" style={{ marginTop: 8, minHeight: 96 }}>
      <h3 style={{ marginTop: 0 }}>Last sync</h3>
      {awaiting && (
        <p className="subtle" role="status" style={{ margin: "4px 0" }}>
          Waiting for the queued sync to finish; this updates on its own.
        </p>
      )}
      {view === null ? (
        <p className="subtle">Loading…</p>
      ) : last === null ? (
        <p className="subtle">No sync has run yet.</p>
      ) : (
        <>
          <p style={{ margin: "4px 0" }}>
            <strong style={last.ok ? undefined : { color: "var(--cs-danger)" }}>
              {last.continuesAt !== undefined
                ? `⏸ Paused until ${formatUtcMinute(last.continuesAt)}`
                : last.ok
                  ? "✓ Succeeded"
                  : "✗ Failed"}
            </strong>{" "}
            <span className="subtle">
              {formatUtcMinute(last.at)}
              {last.teams.length > 0 ? ` · ${last.teams.join(", ")}` : ""}
            </span>
          </p>
          <p style={{ margin: "4px 0" }}>{last.message}</p>
          {last.changes.length === 0 ? (
            <p className="subtle" style={{ margin: "4px 0" }}>
              Nothing in Linear needed to change.
            </p>
          ) : (
            <ul style={{ margin: "4px 0" }}>
              {last.changes.map((change, index) => (
                <li key={`${index}-${change}`}>{change}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

mountPage(<AdminPage />);
