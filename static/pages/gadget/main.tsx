/**
 * The dashboard gadget: one board's verdict, or the whole company's, at a glance: the current
 * quarter's investment share against its target, the status lozenge and the count of open flags.
 * The share opens the issues behind it (the company's, the teams it sums).
 *
 * Jira renders the same resource for the gadget's view and its edit view: the context's
 * `extension.entryPoint` is `"edit"` in the edit view, which saves its choice with `view.submit`,
 * and the view reads it back as `extension.gadgetConfiguration`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-dashboard-gadget).
 */
import { view } from "@forge/bridge";
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import type { FlagCounts, OrgOverview } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { Button, ErrorState, LoadingState } from "../../shared/ds";
import {
  DrillNumber,
  OrgDrillDialog,
  drillTeamQuarter,
  type OrgDrill,
} from "../../shared/org-drill";
import { followInHost, pageLinks, type PageLinks } from "../../shared/page-links";
import { mountPage } from "../../shared/ui";
import { VerdictLozenge, describeAgainst, describeFlagCounts } from "../../shared/verdict";

/** What the gadget shows: the company, or one team (a board's or a Linear team's row key). */
type GadgetChoice = { readonly show: "org" } | { readonly show: "team"; readonly key: string };

/**
 * The saved configuration, checked: a team by its row key, or a board as gadgets saved it before
 * Linear teams were listed; anything else (never configured) is the company.
 */
function choiceOf(configuration: unknown): GadgetChoice {
  if (typeof configuration === "object" && configuration !== null && "show" in configuration) {
    if (configuration.show === "team" && "key" in configuration) {
      const key = configuration.key;
      if (typeof key === "string" && /^(board|linear):[^\s]{1,100}$/.test(key)) {
        return { show: "team", key };
      }
    }
    if (configuration.show === "board" && "boardId" in configuration) {
      const boardId = configuration.boardId;
      if (typeof boardId === "number" && Number.isSafeInteger(boardId) && boardId > 0) {
        return { show: "team", key: `board:${boardId}` };
      }
    }
  }
  return { show: "org" };
}

interface GadgetContext {
  readonly edit: boolean;
  readonly choice: GadgetChoice;
}

async function readGadgetContext(): Promise<GadgetContext> {
  const context: unknown = await view.getContext();
  const extension: unknown =
    typeof context === "object" && context !== null && "extension" in context
      ? context.extension
      : null;
  if (typeof extension !== "object" || extension === null)
    return { edit: false, choice: choiceOf(null) };
  return {
    edit: "entryPoint" in extension && extension.entryPoint === "edit",
    choice: choiceOf("gadgetConfiguration" in extension ? extension.gadgetConfiguration : null),
  };
}

function Gadget(): ReactNode {
  const [context, setContext] = useState<GadgetContext | null>(null);
  const [overview, setOverview] = useState<OrgOverview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const [ctx, outcome] = await Promise.all([readGadgetContext(), callResolver("org/get", {})]);
      setContext(ctx);
      if (!outcome.ok) return setError(outcome.message);
      setOverview(outcome.data);
    })();
  }, []);

  // Jira titles the gadget in its own frame; the page still has its landmark and heading.
  return (
    <main>
      <h1 className="ds-visually-hidden">
        {context?.edit === true ? "Choose what the capacity split gadget shows" : "Capacity split"}
      </h1>
      {error !== null ? (
        <ErrorState message={error} />
      ) : context === null || overview === null ? (
        <LoadingState what="the verdict" />
      ) : context.edit ? (
        <Edit overview={overview} choice={context.choice} />
      ) : (
        <Verdict overview={overview} choice={context.choice} />
      )}
    </main>
  );
}

function Verdict({ overview, choice }: { overview: OrgOverview; choice: GadgetChoice }): ReactNode {
  const [drill, setDrill] = useState<OrgDrill | null>(null);
  const [links, setLinks] = useState<PageLinks | null>(null);
  useEffect(() => {
    void pageLinks().then(setLinks);
  }, []);
  const dialog = drill && (
    <OrgDrillDialog
      drill={drill}
      overview={overview}
      onDrill={setDrill}
      onClose={() => setDrill(null)}
    />
  );
  if (choice.show === "org") {
    const quarter = overview.org.quarter;
    const against = describeAgainst(quarter?.investmentShare ?? null, quarter?.target ?? null);
    return (
      <section data-testid="gadget-verdict" aria-label="The whole company">
        <p className="subtle" style={{ margin: 0 }}>
          The whole company{quarter ? ` · ${quarter.id} · spent` : ""}
        </p>
        <p className="headline">
          <DrillNumber
            drill={quarter ? { kind: "org" } : null}
            onDrill={setDrill}
            label={`The company: ${against}. Show the teams it sums and their issues.`}
          >
            {against}
          </DrillNumber>{" "}
          <VerdictLozenge verdict={overview.org.verdict} words={overview.org.words} />
        </p>
        <p>
          Open flags:{" "}
          {overview.org.flags.length === 0 ? (
            "none"
          ) : (
            <DrillNumber
              drill={quarter ? { kind: "org" } : null}
              onDrill={setDrill}
              label={`${overview.org.flags.length} open company flags. Show the teams they sum and their issues.`}
            >
              {overview.org.flags.length}
            </DrillNumber>
          )}
        </p>
        {dialog}
      </section>
    );
  }
  const team = overview.teams.find((entry) => entry.key === choice.key);
  if (!team) {
    return (
      <p role="status">
        The team this gadget shows is not known any more, or you cannot browse its project in Jira.
        Edit the gadget to choose another.
      </p>
    );
  }
  if (team.syncing !== null) {
    return (
      <p role="status">
        {team.name}: reading the board from Jira, {team.syncing.done} of {team.syncing.total ?? "?"}{" "}
        issues so far.
      </p>
    );
  }
  const teamPage =
    links?.projectPage && team.projectKey !== null && team.boardId !== null
      ? links.projectPage(team.projectKey, team.boardId)
      : null;
  return (
    <section data-testid="gadget-verdict" aria-label={team.name}>
      <p className="subtle" style={{ margin: 0 }}>
        {team.name}
        {team.quarter ? ` · ${team.quarter.id} · ${team.measure ?? "delivered"}` : ""}
      </p>
      <p className="headline">
        <DrillNumber
          drill={drillTeamQuarter(team)}
          onDrill={setDrill}
          label={`${team.name}: ${describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}. Show the issues behind it.`}
        >
          {describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}
        </DrillNumber>{" "}
        <VerdictLozenge verdict={team.verdict} words={team.words} />
      </p>
      {team.sentence !== null && <p data-testid="gadget-sentence">{team.sentence}</p>}
      <p>
        Open flags:{" "}
        {teamPage !== null && totalFlags(team.openFlags) > 0 ? (
          // Each flag opens its issues on the team's page, which lists them first.
          <a
            href={teamPage}
            onClick={followInHost(teamPage)}
            target="_top"
            aria-label={`${describeFlagCounts(team.openFlags)}: open them on ${team.name}'s page, where each flag opens its issues`}
          >
            {describeFlagCounts(team.openFlags)}
          </a>
        ) : (
          describeFlagCounts(team.openFlags)
        )}
      </p>
      {teamPage !== null && (
        <p>
          <a href={teamPage} onClick={followInHost(teamPage)} target="_top">
            Open {team.name}&apos;s page
          </a>
        </p>
      )}
      {dialog}
    </section>
  );
}

function Edit({ overview, choice }: { overview: OrgOverview; choice: GadgetChoice }): ReactNode {
  const id = useId();
  const [value, setValue] = useState(choice.show === "org" ? "org" : choice.key);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const next: GadgetChoice = value === "org" ? { show: "org" } : { show: "team", key: value };
    try {
      await view.submit(next);
    } catch (cause) {
      setError(
        `Jira did not save the gadget (${cause instanceof Error ? cause.message : String(cause)}). Try again.`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void save(event)} aria-label="What this gadget shows">
      {error !== null && <ErrorState title="Not saved" message={error} />}
      <label htmlFor={`${id}-show`}>Show the verdict of</label>
      <select id={`${id}-show`} value={value} onChange={(event) => setValue(event.target.value)}>
        <option value="org">The whole company</option>
        {overview.teams.map((team) => (
          <option key={team.key} value={team.key}>
            {team.name}
            {team.source === "linear"
              ? " (Linear)"
              : team.projectKey === null
                ? ""
                : ` (${team.projectKey})`}
          </option>
        ))}
      </select>
      <div className="row" style={{ marginTop: 8 }}>
        <Button type="submit" appearance="primary" loading={busy}>
          Save
        </Button>
      </div>
    </form>
  );
}

mountPage(<Gadget />);

function totalFlags(counts: FlagCounts): number {
  return counts.critical + counts.warning + counts.info;
}
