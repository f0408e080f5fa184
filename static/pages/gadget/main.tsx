/**
 * The dashboard gadget: one board's verdict, or the whole company's, at a glance: the current
 * quarter's investment share against its target, the status lozenge and the open flags. Every
 * number opens the issues behind it in the gadget itself, in the drill dialog the project page and
 * the company page open: a team's share its quarter's issues, each of its flags the issues its
 * project page's flag opens, the company's share the teams it sums, and each team holding the
 * company off its target the time it spent. The dialog fits the gadget's frame (about 400 px
 * wide, 300 to 500 px tall): it scrolls inside with its title and Close kept in view.
 *
 * Jira renders the same resource for the gadget's view and its edit view: the context's
 * `extension.entryPoint` is `"edit"` in the edit view, which saves its choice with `view.submit`,
 * and the view reads it back as `extension.gadgetConfiguration`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-dashboard-gadget).
 */
import { view } from "@forge/bridge";
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import type { OrgOverview, OrgTeamRow } from "../../../src/app/index";
import { possessive } from "../../../src/domain/index";
import { callResolver } from "../../shared/client";
import { Button, ErrorState, LoadingState, StatusIcon } from "../../shared/ds";
import {
  DrillNumber,
  OrgDrillDialog,
  drillTeamFlag,
  drillTeamPart,
  drillTeamQuarter,
  type OrgDrill,
} from "../../shared/org-drill";
import { followInHost, pageLinks, type PageLinks } from "../../shared/page-links";
import { SEVERITY_WORDS, mountPage, sortBySeverity } from "../../shared/ui";
import {
  VerdictLozenge,
  describeAgainst,
  describeFlagCounts,
  formatDays,
} from "../../shared/verdict";
import "./gadget.css";

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
        <HoldingOff overview={overview} onDrill={setDrill} />
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
      <TeamFlags team={team} onDrill={setDrill} />
      {teamPage !== null && (
        <p>
          <a href={teamPage} onClick={followInHost(teamPage)} target="_top">
            Open {possessive(team.name)} page
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

/**
 * The team's open flags, worst first, as its project page lists them: each opens the issues that
 * page's flag opens. A flag about the team's declaration (no target, a review due) has no issues;
 * the team's page below leads to its settings.
 */
function TeamFlags({
  team,
  onDrill,
}: {
  team: OrgTeamRow;
  onDrill: (drill: OrgDrill) => void;
}): ReactNode {
  const id = useId();
  if (team.flags.length === 0) return <p data-testid="gadget-flags">Open flags: none</p>;
  return (
    <section aria-labelledby={`${id}-flags`}>
      <h2 id={`${id}-flags`} className="ds-heading-xsmall gadget-flags-title">
        Open flags: {describeFlagCounts(team.openFlags)}
      </h2>
      <ul className="gadget-flags" data-testid="gadget-flags">
        {sortBySeverity(team.flags).map((open, index) => {
          const { flag, periodName } = open;
          const word = SEVERITY_WORDS[flag.severity];
          return (
            <li
              key={`${flag.code}-${flag.period.id}-${index}`}
              data-code={flag.code}
              data-period={flag.period.id}
              data-severity={flag.severity}
            >
              <StatusIcon appearance={ICONS[flag.severity]} label={word} />
              <span>
                <span className="subtle">{periodName}:</span> {flag.message}{" "}
                <DrillNumber
                  drill={drillTeamFlag(team, open)}
                  onDrill={onDrill}
                  label={`Show the issues behind this ${word.toLowerCase()} flag on ${periodName}`}
                >
                  Show the issues
                </DrillNumber>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const ICONS = { critical: "error", warning: "warning", info: "info" } as const;

/** Teams listed at most under the company's verdict; the company's share opens every team. */
const HOLDING_OFF_SHOWN = 5;

/**
 * The teams that hold the company off its target, largest part first, as the company page lists
 * them: each team's part opens the time it spent in the company's quarter.
 */
function HoldingOff({
  overview,
  onDrill,
}: {
  overview: OrgOverview;
  onDrill: (drill: OrgDrill) => void;
}): ReactNode {
  const id = useId();
  const { quarter, gapSign } = overview.org;
  if (quarter === null || gapSign === null || gapSign === 0) return null;
  const byKey = new Map(overview.teams.map((team) => [team.key, team]));
  const teams = overview.holdingOff.flatMap((key) => {
    const team = byKey.get(key);
    return team && team.contribution !== null ? [{ team, contribution: team.contribution }] : [];
  });
  if (teams.length === 0) return null;
  const below = gapSign > 0;
  const more = teams.length - HOLDING_OFF_SHOWN;
  return (
    <section aria-labelledby={`${id}-holding`}>
      <h2 id={`${id}-holding`} className="ds-heading-xsmall gadget-flags-title">
        Holding the company {below ? "below" : "above"} its target
      </h2>
      <ul className="gadget-teams" data-testid="gadget-holding-off">
        {teams.slice(0, HOLDING_OFF_SHOWN).map(({ team, contribution }) => {
          const part = `${formatDays(contribution)} of investment ${below ? "short" : "over"}`;
          return (
            <li key={team.key}>
              {team.name}:{" "}
              <DrillNumber
                drill={drillTeamPart(team, quarter.id)}
                onDrill={onDrill}
                label={`${team.name}: ${part}. Show the issues its time went to.`}
              >
                {part}
              </DrillNumber>
            </li>
          );
        })}
      </ul>
      {more > 0 && (
        <p className="subtle">
          And {more} more team{more === 1 ? "" : "s"}: the company&apos;s share opens every team.
        </p>
      )}
    </section>
  );
}

mountPage(<Gadget />);
