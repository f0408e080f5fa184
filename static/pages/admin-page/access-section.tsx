/**
 * Who sees each synced Linear team on the Jira company page: the people who may browse a Jira
 * project chosen here, or Jira administrators only while none is. Jira boards follow their own
 * project's browse permission; a Linear team has no project of its own, so it waits for a choice.
 */
import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { FIELD, Help, SectionNote, type SectionProps } from "./section-parts";

export function AccessSection({ view, show, actions }: SectionProps): ReactNode {
  const ids = useId();
  // A host without Jira shows every team to whoever opens its company page: nothing to choose.
  if (view === null || view.orgAccess === null) return null;
  return (
    <section aria-labelledby={`${ids}-access`} data-testid="access-section">
      <h2 id={`${ids}-access`}>Who sees each Linear team on the company page</h2>
      <Help id={`${ids}-help`}>
        A synced Linear team is shown to the people who may browse the Jira project you choose for
        it; with none chosen, to Jira administrators only. Teams someone may not see still count in
        the company&apos;s share and flags, unnamed.
      </Help>
      {view.orgAccess.length === 0 ? (
        <p className="subtle">No team is synced yet: choose the teams to sync above and save.</p>
      ) : (
        view.orgAccess.map((entry) => (
          <AccessRow
            key={`${entry.teamKey} ${entry.projectKey ?? ""}`}
            entry={entry}
            name={view.teams.find((team) => team.key === entry.teamKey)?.name ?? entry.teamKey}
            show={show}
            actions={actions}
          />
        ))
      )}
      <SectionNote note={actions.note} section="access" />
    </section>
  );
}

function AccessRow({
  entry,
  name,
  show,
  actions,
}: {
  entry: NonNullable<LinearConnectionView["orgAccess"]>[number];
  name: string;
  show: SectionProps["show"];
  actions: SectionProps["actions"];
}): ReactNode {
  const id = useId();
  const [projectKey, setProjectKey] = useState(entry.projectKey ?? "");
  const { busy, act } = actions;
  const save = (event: FormEvent): void => {
    event.preventDefault();
    const chosen = projectKey.trim().toUpperCase();
    void act(
      "access",
      "access",
      () =>
        callResolver("linear/team-access", {
          teamKey: entry.teamKey,
          projectKey: chosen === "" ? null : chosen,
        }),
      (data) => {
        show(data);
        const saved = data.orgAccess?.find((row) => row.teamKey === entry.teamKey)?.projectKey;
        return saved == null
          ? `${name} is shown to Jira administrators only.`
          : `${name} is shown to the people who may browse ${saved}.`;
      },
    );
  };
  return (
    <form onSubmit={save} className="row" style={{ margin: "8px 0", alignItems: "end" }}>
      <label htmlFor={`${id}-project`} style={{ flexDirection: "column" }}>
        {name} ({entry.teamKey}): Jira project whose browsers see it
        <input
          id={`${id}-project`}
          style={FIELD}
          value={projectKey}
          placeholder="None: Jira administrators only"
          aria-describedby={`${id}-now`}
          onChange={(event) => setProjectKey(event.target.value)}
          data-testid={`access-${entry.teamKey}`}
        />
      </label>
      <button type="submit" disabled={busy !== null}>
        {busy === "access" ? "Saving…" : "Save"}
      </button>
      <span id={`${id}-now`} className="subtle">
        {entry.projectKey === null
          ? "Now: Jira administrators only."
          : `Now: people who may browse ${entry.projectKey}.`}
      </span>
    </form>
  );
}
