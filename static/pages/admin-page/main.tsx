/**
 * The admin page: the company target, and the site's Linear connection. Each section is its own
 * component; the page holds what they share: the connection as last read, the teams form that
 * starts over whenever a connection is shown, and the one action running at a time.
 */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { CompanyTarget } from "../../shared/company-target";
import { ErrorMessage, mountPage } from "../../shared/ui";
import { AccessSection } from "./access-section";
import { ConnectionSection, ConnectionUnavailable } from "./connection-section";
import { useActions } from "./section-parts";
import { SyncSection } from "./sync-section";
import { TeamsSection, useTeamsForm } from "./teams-section";
import { WebhookSection } from "./webhook-section";

function AdminPage(): ReactNode {
  const [view, setView] = useState<LinearConnectionView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [teamsForm, editTeams] = useTeamsForm();
  const actions = useActions();

  const show = useCallback(
    (next: LinearConnectionView) => {
      setView(next);
      editTeams({ type: "shown", view: next });
    },
    [editTeams],
  );

  const showLastSync = useCallback((lastSync: LinearConnectionView["lastSync"]) => {
    setView((current) => current && { ...current, lastSync });
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

  return (
    <main style={{ maxWidth: 760 }} aria-busy={view === null && loadError === null}>
      <h1>Capacity split · administration</h1>
      <CompanyTarget heading="h2" />
      <h2>Linear</h2>
      {loadError !== null && (
        <>
          <ErrorMessage message={loadError} />
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </>
      )}
      {view?.unavailable != null && <ConnectionUnavailable reason={view.unavailable} />}
      {(loadError === null || view !== null) && view?.unavailable == null && (
        <>
          <ConnectionSection view={view} show={show} actions={actions} />
          <WebhookSection view={view} show={show} actions={actions} />
          <TeamsSection
            view={view}
            show={show}
            form={teamsForm}
            edit={editTeams}
            actions={actions}
          />
          <AccessSection view={view} show={show} actions={actions} />
          <SyncSection view={view} showLastSync={showLastSync} actions={actions} />
        </>
      )}
    </main>
  );
}

mountPage(<AdminPage />);
