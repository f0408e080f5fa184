/**
 * The top of the project page: the current quarter's verdict, the last sprints' trend, the open
 * flags by severity, and the quarter cards. Every number opens the issues behind it.
 */
import type { ReactNode } from "react";
import {
  currentPeriods,
  type ActualMeasure,
  type Flag,
  type QuarterReport,
  type Severity,
  type SprintReport,
  type TeamReport,
} from "../../../src/domain/index";
import {
  leadingFlag,
  quarterNotes,
  statusOfQuarter,
  verdictOf,
  type Status,
  type Tone,
} from "../../../src/render/index";
import {
  Button,
  StatusIcon,
  StatusLozenge,
  type LozengeAppearance,
  VisuallyHidden,
  type MessageAppearance,
} from "../../shared/ds";
import { followInHost } from "../../shared/page-links";
import { SEVERITY_WORDS, formatShare, sortBySeverity } from "../../shared/ui";
import { askForFlag, type DrillAsk } from "../../shared/drill-dialog";

const LOZENGE: Readonly<Record<Tone, LozengeAppearance>> = {
  success: "success",
  warning: "moved",
  danger: "removed",
  neutral: "default",
  information: "inprogress",
};

const SEVERITY: Readonly<Record<Severity, { appearance: MessageAppearance; word: string }>> = {
  critical: { appearance: "error", word: SEVERITY_WORDS.critical },
  warning: { appearance: "warning", word: SEVERITY_WORDS.warning },
  info: { appearance: "info", word: SEVERITY_WORDS.info },
};

const measureWords = (measure: ActualMeasure): string =>
  measure === "spent" ? "of the time spent" : "of the work delivered";

/** "against 30% ± 5%", or "no target declared". */
export const againstTarget = (period: QuarterReport | SprintReport): string =>
  period.target
    ? `against ${formatShare(period.target.investmentShare)} ± ${formatShare(period.target.tolerance)}`
    : "no target declared";

export function askForQuarter(quarter: QuarterReport, measure: ActualMeasure): DrillAsk {
  return {
    title: `${quarter.id}: the issues behind its ${measure === "spent" ? "time spent" : "delivered work"}`,
    request: { period: { kind: "quarter", id: quarter.id }, reasons: [measure] },
  };
}

export function askForSprint(sprint: SprintReport): DrillAsk {
  return {
    title: `${sprint.name}: every issue that counts`,
    request: { period: { kind: "sprint", id: sprint.id } },
  };
}

export function Verdict({
  team,
  onDrill,
}: {
  team: TeamReport;
  onDrill: (ask: DrillAsk) => void;
}): ReactNode {
  const verdict = verdictOf(team);
  const { quarter, measure } = verdict;
  if (!quarter) {
    return (
      <section className="verdict" aria-label="Verdict" data-testid="verdict">
        <Headline headline={verdict.headline} />
        <p>No quarter to judge yet: this board has no sprints or finished work.</p>
      </section>
    );
  }
  const other: ActualMeasure = measure === "spent" ? "delivered" : "spent";
  return (
    <section className="verdict" aria-labelledby="verdict-title" data-testid="verdict">
      <h2 id="verdict-title" className="ds-heading-small verdict-title">
        {quarter.id} {quarter.state === "current" ? "so far" : ""}
        <StatusLozenge appearance={LOZENGE[verdict.status.tone]} bold>
          <span data-testid="verdict-status">{verdict.status.label}</span>
        </StatusLozenge>
      </h2>
      <Headline headline={verdict.headline} ask={headlineAsk(team, quarter)} onDrill={onDrill} />
      <p className="verdict-headline">
        <button
          type="button"
          className="verdict-number"
          data-testid="verdict-share"
          onClick={() => onDrill(askForQuarter(quarter, measure))}
          aria-label={`${formatShare(verdict.share)} investment ${measureWords(measure)}: open the issues`}
        >
          {formatShare(verdict.share)}
        </button>{" "}
        <span>
          investment {measureWords(measure)},{" "}
          <strong data-testid="verdict-target">{againstTarget(quarter)}</strong>.
        </span>
      </p>
      <p className="ds-text-subtle">
        By the other measure,{" "}
        <button
          type="button"
          className="link-button"
          onClick={() => onDrill(askForQuarter(quarter, other))}
        >
          {formatShare(quarter.investmentShare[other])} {measureWords(other)}
        </button>
        . This team&apos;s flags judge {measure === "spent" ? "time spent" : "delivered work"}.
      </p>
      {verdict.required && (
        <p className="verdict-required" data-testid="verdict-required">
          {verdict.required}
        </p>
      )}
      <Trend
        sprints={verdict.trend.sprints}
        measure={measure}
        words={verdict.trend.words}
        onDrill={onDrill}
      />
    </section>
  );
}

const HEADLINE_ICON: Readonly<Record<Tone, MessageAppearance | null>> = {
  danger: "error",
  warning: "warning",
  information: "info",
  success: "success",
  neutral: null,
};

/**
 * What the headline's numbers are about: the issues behind the flag it leads with, or the
 * quarter's when no flag is open; null for a flag about the target, which no issue is behind.
 */
function headlineAsk(team: TeamReport, quarter: QuarterReport): DrillAsk | null {
  const flag = leadingFlag(team);
  if (flag === null) return askForQuarter(quarter, team.actual);
  const periodName = currentPeriods(team).get(`${flag.period.kind}:${flag.period.id}`);
  return askForFlag(periodName ?? flag.period.id, flag, team.actual);
}

/**
 * The sentence the page leads with; the icon repeats its tone, the words carry it. Its numbers
 * open the issues behind them.
 */
function Headline({
  headline,
  ask = null,
  onDrill,
}: {
  headline: Status;
  ask?: DrillAsk | null;
  onDrill?: (ask: DrillAsk) => void;
}): ReactNode {
  const icon = HEADLINE_ICON[headline.tone];
  const story = (
    <p className="verdict-story" data-testid="verdict-story" data-tone={headline.tone}>
      {icon && <StatusIcon appearance={icon} />}
      <span>{headline.label}</span>
    </p>
  );
  if (ask === null || onDrill === undefined) return story;
  return (
    <div className="verdict-lead" data-testid="verdict-lead">
      {story}
      <Button spacing="compact" onClick={() => onDrill(ask)}>
        Show the issues
      </Button>
    </div>
  );
}

function Trend({
  sprints,
  measure,
  words,
  onDrill,
}: {
  sprints: readonly SprintReport[];
  measure: ActualMeasure;
  words: string;
  onDrill: (ask: DrillAsk) => void;
}): ReactNode {
  return (
    <div className="trend" data-testid="trend">
      <h3 className="ds-heading-xsmall">Last {sprints.length} closed sprints</h3>
      <ol className="trend-bars">
        {sprints.map((sprint) => {
          const share = sprint.investmentShare[measure];
          const band = sprint.target;
          return (
            <li key={sprint.id}>
              <button
                type="button"
                className="trend-bar"
                onClick={() => onDrill(askForSprint(sprint))}
                aria-label={`${sprint.name}: ${formatShare(share)} investment; open its issues`}
                title={`${sprint.name}: ${formatShare(share)}, ${againstTarget(sprint)}`}
              >
                <span className="trend-track">
                  {band && (
                    <span
                      className="trend-band"
                      style={{
                        bottom: `${Math.max(0, band.investmentShare - band.tolerance) * 100}%`,
                        height: `${band.tolerance * 2 * 100}%`,
                      }}
                    />
                  )}
                  <span className="trend-fill" style={{ height: `${(share ?? 0) * 100}%` }} />
                </span>
                <span className="trend-value">{formatShare(share)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <p className="ds-text-small ds-text-subtle">{words}</p>
    </div>
  );
}

export function OpenFlags({
  flags,
  measure,
  onDrill,
  settingsUrl,
}: {
  flags: readonly { readonly periodName: string; readonly flag: Flag }[];
  measure: ActualMeasure;
  onDrill: (ask: DrillAsk) => void;
  /** The project's Capacity split settings, where a missing or old target is declared. */
  settingsUrl: string | null;
}): ReactNode {
  const sorted = sortBySeverity(flags);
  if (sorted.length === 0) {
    return (
      <p className="ds-text-subtle" data-testid="open-flags">
        No open flags: nothing in the current quarter, the active or the last closed sprint is off.
      </p>
    );
  }
  return (
    <ul className="flag-list" data-testid="open-flags">
      {sorted.map(({ periodName, flag }, index) => {
        const severity = SEVERITY[flag.severity];
        const ask = askForFlag(periodName, flag, measure);
        return (
          <li
            key={`${flag.code}-${flag.period.id}-${index}`}
            className={`flag-item flag-${flag.severity}`}
            data-code={flag.code}
            data-severity={flag.severity}
          >
            <StatusIcon appearance={severity.appearance} label={severity.word} />
            <div className="flag-body">
              <div>
                <strong>{severity.word}</strong>{" "}
                <span className="ds-text-subtle">· {periodName}</span>
              </div>
              <div className="flag-message">{flag.message}</div>
            </div>
            {ask ? (
              <Button spacing="compact" onClick={() => onDrill(ask)}>
                Show the issues
              </Button>
            ) : settingsUrl !== null ? (
              <a
                className="ds-text-small flag-hint"
                href={settingsUrl}
                onClick={followInHost(settingsUrl)}
                target="_top"
                data-testid="flag-settings-link"
              >
                {flag.code === "NO_TARGET" ? "Set the target in settings" : "Review it in settings"}
              </a>
            ) : (
              <span className="ds-text-small ds-text-subtle flag-hint">
                Declared in the project&apos;s Capacity split settings
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function QuarterCards({
  quarters,
  measure,
  onDrill,
}: {
  quarters: readonly QuarterReport[];
  measure: ActualMeasure;
  onDrill: (ask: DrillAsk) => void;
}): ReactNode {
  return (
    <ul className="cards quarter-cards">
      {quarters.map((quarter) => {
        const status = statusOfQuarter(quarter, measure);
        return (
          <li key={quarter.id} className="card" data-quarter={quarter.id}>
            <button
              type="button"
              className="card-button"
              onClick={() => onDrill(askForQuarter(quarter, measure))}
            >
              <span className="card-head">
                <strong>{quarter.id}</strong>
                <StatusLozenge appearance={LOZENGE[status.tone]}>{status.label}</StatusLozenge>
              </span>
              <span className="card-number">{formatShare(quarter.investmentShare[measure])}</span>
              <span className="ds-text-small ds-text-subtle">
                investment {measureWords(measure)}, {againstTarget(quarter)}
                {quarter.state === "current" ? " · so far" : ""}
              </span>
              {status.why && (
                <span className="ds-text-small" data-testid="quarter-why">
                  {status.why}
                </span>
              )}
              {quarterNotes(quarter, measure).map((note) => (
                <span key={note} className="ds-text-small quarter-note" data-testid="quarter-note">
                  <StatusIcon appearance="info" label="Note" /> {note}
                </span>
              ))}
              <VisuallyHidden>Open its issues.</VisuallyHidden>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
