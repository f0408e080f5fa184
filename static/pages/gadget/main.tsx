/**
 * The dashboard gadget: one board's verdict, or the whole company's, at a glance: the current
 * quarter's investment share against its target, the status lozenge and the count of open flags.
 *
 * Jira renders the same resource for the gadget's view and its edit view: the context's
 * `extension.entryPoint` is `"edit"` in the edit view, which saves its choice with `view.submit`,
 * and the view reads it back as `extension.gadgetConfiguration`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-dashboard-gadget).
 */
import { view } from "@forge/bridge";
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import type { OrgOverview } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { Button, ErrorState, LoadingState } from "../../shared/ds";
import { mountPage } from "../../shared/ui";
import { VerdictLozenge, describeAgainst, describeFlagCounts } from "../../shared/verdict";

/** What the gadget shows: the company, or one board. */
type GadgetChoice = { readonly show: "org" } | { readonly show: "board"; readonly boardId: number };

/** The saved configuration, checked: anything else (never configured, an old shape) is the company. */
function choiceOf(configuration: unknown): GadgetChoice {
  if (typeof configuration === "object" && configuration !== null && "show" in configuration) {
    if (configuration.show === "board" && "boardId" in configuration) {
      const boardId = configuration.boardId;
      if (typeof boardId === "number" && Number.isSafeInteger(boardId) && boardId > 0) {
        return { show: "board", boardId };
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

  if (error !== null) return <ErrorState message={error} />;
  if (context === null || overview === null) return <LoadingState what="the verdict" />;
  return context.edit ? (
    <Edit overview={overview} choice={context.choice} />
  ) : (
    <Verdict overview={overview} choice={context.choice} />
  );
}

function Verdict({ overview, choice }: { overview: OrgOverview; choice: GadgetChoice }): ReactNode {
  if (choice.show === "org") {
    const quarter = overview.org.quarter;
    return (
      <section data-testid="gadget-verdict" aria-label="The whole company">
        <p className="subtle" style={{ margin: 0 }}>
          The whole company{quarter ? ` · ${quarter.id} · spent` : ""}
        </p>
        <p className="headline">
          {describeAgainst(quarter?.investmentShare ?? null, quarter?.target ?? null)}{" "}
          <VerdictLozenge verdict={overview.org.verdict} />
        </p>
        <p>Open flags: {overview.org.flags.length === 0 ? "none" : overview.org.flags.length}</p>
      </section>
    );
  }
  const team = overview.teams.find((entry) => entry.boardId === choice.boardId);
  if (!team) {
    return (
      <p role="status">
        The board this gadget shows (board {choice.boardId}) is not known any more. Edit the gadget
        to choose another.
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
  return (
    <section data-testid="gadget-verdict" aria-label={team.name}>
      <p className="subtle" style={{ margin: 0 }}>
        {team.name}
        {team.quarter ? ` · ${team.quarter.id} · ${team.measure ?? "delivered"}` : ""}
      </p>
      <p className="headline">
        {describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}{" "}
        <VerdictLozenge verdict={team.verdict} />
      </p>
      <p>Open flags: {describeFlagCounts(team.openFlags)}</p>
    </section>
  );
}

function Edit({ overview, choice }: { overview: OrgOverview; choice: GadgetChoice }): ReactNode {
  const id = useId();
  const [value, setValue] = useState(choice.show === "org" ? "org" : String(choice.boardId));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const next: GadgetChoice =
      value === "org" ? { show: "org" } : { show: "board", boardId: Number(value) };
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
          <option key={team.boardId} value={String(team.boardId)}>
            {team.name}
            {team.projectKey === null ? "" : ` (${team.projectKey})`}
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
