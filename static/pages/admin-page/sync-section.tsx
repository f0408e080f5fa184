/** "Sync now" runs the sync, and the last sync's record says what it did. */
import { useId, useState, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { formatUtcMinute } from "../../shared/ui";
import { Help, SectionNote, type Actions } from "./section-parts";
import { usePolling } from "./use-polling";

type LastSyncRecord = LinearConnectionView["lastSync"];

/** A queued sync of a few teams runs within a minute or two; after that, reloading tells. */
const POLL_MS = 5_000;
const POLLS_FOR_QUEUED_SYNC = 36;

export function SyncSection({
  view,
  showLastSync,
  actions,
}: {
  /** Null while loading. */
  readonly view: LinearConnectionView | null;
  /** Shows a newer record alone: the teams form may hold edits the person has not saved yet. */
  readonly showLastSync: (lastSync: LastSyncRecord) => void;
  readonly actions: Actions;
}): ReactNode {
  const ids = useId();
  const { busy, note, act } = actions;
  /** Set while waiting for a queued sync: the time of the last sync recorded before it. */
  const [awaitingAfter, setAwaitingAfter] = useState<string | null | undefined>(undefined);

  usePolling(
    awaitingAfter,
    { everyMs: POLL_MS, times: POLLS_FOR_QUEUED_SYNC, giveUp: () => setAwaitingAfter(undefined) },
    () =>
      void callResolver("linear/last-sync", {}).then((outcome) => {
        if (!outcome.ok || (outcome.data?.at ?? null) === awaitingAfter) return;
        showLastSync(outcome.data);
        setAwaitingAfter(undefined);
      }),
  );

  const syncNow = (): void => {
    const before = view?.lastSync?.at ?? null;
    void act(
      "sync",
      "sync",
      () => callResolver("linear/sync-now", {}),
      (data) => {
        showLastSync(data.lastSync);
        if (!data.ok) return { kind: "error", text: `The sync failed: ${data.message}` };
        // Forge queues the sync (a resolver has 25 s), so its record comes later: watch for it.
        if ((data.lastSync?.at ?? null) === before) setAwaitingAfter(before);
        return data.message;
      },
    );
  };

  const loading = view === null;
  const connected = view?.connected ?? false;
  return (
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
        Runs one sync of the saved teams now, with the saved settings; the scheduled sync keeps
        running as well.
      </Help>
      <SectionNote note={note} section="sync" />
      <LastSync view={view} awaiting={awaitingAfter !== undefined} />
    </section>
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
