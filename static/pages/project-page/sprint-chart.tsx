/**
 * The sprints as pairs of stacked bars: what each committed at its start beside what it did
 * (delivered or spent), against the target band. Every pair is a button that opens the issues
 * behind it; flagged sprints carry a marker; labels drop the prefix every sprint name shares, and
 * the full name is in each pair's tooltip and accessible name. The % axis stays in place while a
 * history wider than the page scrolls beside it.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import type { ActualMeasure, Flag, Split, SprintReport } from "../../../src/domain/index";
import { formatShare } from "../../shared/ui";

const PLOT_HEIGHT = 180;
const TOP = 28;
/** The fixed % axis's width, beside the scrolling bars. */
const AXIS = 40;
/** Room before the first bar inside the scrolling part. */
const LEFT = 6;
const BAR = 11;
const SLOT = 30;
const LABEL_SPACE = 34;
const HEIGHT = TOP + PLOT_HEIGHT + LABEL_SPACE;
/** Bottom to top, as the CLI's chart stacks them. */
const STACK = ["investment", "unclassified", "roadmap"] as const;
const RANK = { info: 0, warning: 1, critical: 2 } as const;
const TICKS = [0, 0.25, 0.5, 0.75, 1] as const;
/**
 * What a slot says under its label: the sprint running now, the one in plan. Not "next", which a
 * person steering by voice would confuse with the triage list's Next page.
 */
const STATE_WORDS: Readonly<Record<SprintReport["state"], string | null>> = {
  closed: null,
  active: "now",
  future: "plan",
};

/** The words every sprint name starts with, up to a word boundary ("PAY Sprint "), or "". */
export function commonPrefix(names: readonly string[]): string {
  const first = names[0];
  if (first === undefined || names.length < 2) return "";
  let length = first.length;
  for (const name of names) {
    let i = 0;
    while (i < length && i < name.length && name[i] === first[i]) i++;
    length = i;
  }
  const prefix = first.slice(0, length);
  const cut = prefix.lastIndexOf(" ");
  // Keep at least a few characters of every name.
  return cut > 0 && names.every((name) => name.length - cut - 1 >= 1)
    ? prefix.slice(0, cut + 1)
    : "";
}

const y = (share: number): number => TOP + PLOT_HEIGHT * (1 - Math.min(1, Math.max(0, share)));

function Stack({
  split,
  x,
  kind,
  partial = false,
}: {
  split: Split | undefined;
  x: number;
  kind: "committed" | "actual";
  /** The active sprint's actual: so far, outlined as unfinished. */
  partial?: boolean;
}): ReactNode {
  const total = split ? split.roadmap + split.investment + split.unclassified : 0;
  if (!split || total === 0) {
    return (
      <rect
        x={x}
        y={TOP}
        width={BAR}
        height={PLOT_HEIGHT}
        className="chart-empty"
        strokeDasharray="3 2"
      />
    );
  }
  let from = 0;
  return (
    <g className={`chart-bar-${kind}`}>
      {STACK.map((category) => {
        const share = split[category] / total;
        const top = y(from + share);
        const height = y(from) - top;
        from += share;
        return height <= 0 ? null : (
          <rect
            key={category}
            x={x}
            y={top}
            width={BAR}
            height={height}
            className={`chart-${category}`}
          />
        );
      })}
      {partial && <rect x={x} y={TOP} width={BAR} height={PLOT_HEIGHT} className="chart-partial" />}
    </g>
  );
}

export function SprintChart({
  sprints,
  flags,
  measure,
  onOpen,
}: {
  sprints: readonly SprintReport[];
  /** The team's flags; those of a sprint mark it. */
  flags: readonly Flag[];
  measure: ActualMeasure;
  onOpen: (sprint: SprintReport) => void;
}): ReactNode {
  const prefix = commonPrefix(sprints.map((sprint) => sprint.name));
  const scroller = useRef<HTMLDivElement>(null);
  // The latest sprints matter most: a history wider than the page starts scrolled to its end.
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollLeft = element.scrollWidth;
  }, [sprints.length]);
  const width = LEFT + sprints.length * SLOT + 8;
  const flagsOf = (id: string) =>
    flags.filter((flag) => flag.period.kind === "sprint" && flag.period.id === id);
  const keyOpen = (event: KeyboardEvent, sprint: SprintReport): void => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(sprint);
    }
  };
  const actualWord = measure === "spent" ? "spent" : "delivered";
  return (
    <>
      <div className="chart-frame">
        {/* The numbers are in each sprint's accessible name; the axis is for the eye. */}
        <svg
          className="chart-axis-fixed"
          width={AXIS}
          height={HEIGHT}
          viewBox={`0 0 ${AXIS} ${HEIGHT}`}
          aria-hidden="true"
          data-testid="chart-axis"
        >
          {TICKS.map((share) => (
            <g key={share}>
              <line x1={AXIS - 4} x2={AXIS} y1={y(share)} y2={y(share)} className="chart-grid" />
              <text x={AXIS - 6} y={y(share) + 4} textAnchor="end" className="chart-axis">
                {Math.round(share * 100)}%
              </text>
            </g>
          ))}
        </svg>
        <div className="chart-scroll" data-testid="split-chart" ref={scroller}>
          <svg
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            role="group"
            aria-label={`Sprints: committed beside ${actualWord}, investment share against the target band`}
          >
            <defs>
              <pattern
                id="cs-hatch"
                width="6"
                height="6"
                patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)"
              >
                <rect width="6" height="6" className="chart-investment-fill" />
                <line x1="0" y1="0" x2="0" y2="6" className="chart-hatch-line" />
              </pattern>
              <pattern id="cs-dots" width="6" height="6" patternUnits="userSpaceOnUse">
                <rect width="6" height="6" className="chart-unclassified-fill" />
                <circle cx="3" cy="3" r="1.3" className="chart-dot" />
              </pattern>
            </defs>
            {TICKS.map((share) => (
              <line
                key={share}
                x1={0}
                x2={width}
                y1={y(share)}
                y2={y(share)}
                className="chart-grid"
              />
            ))}
            {sprints.map((sprint, index) => {
              const x = LEFT + index * SLOT;
              const own = flagsOf(sprint.id);
              const worst = own.reduce<Flag | null>(
                (top, flag) =>
                  top === null || RANK[flag.severity] > RANK[top.severity] ? flag : top,
                null,
              );
              const actual = measure === "spent" ? sprint.spent : sprint.delivered;
              const actualShare = sprint.investmentShare[measure];
              const committedShare = sprint.investmentShare.committed;
              const soFar = sprint.state === "active" ? " so far" : "";
              const stateWord = STATE_WORDS[sprint.state];
              // The name holds the slot's visible text in its order (label, "now"/"plan", flag
              // count), so a person who says what they see to a voice control reaches it.
              const label = `${sprint.name}${stateWord ? ` ${stateWord}` : ""}${
                own.length > 0 ? `, ${own.length} flag${own.length === 1 ? "" : "s"}` : ""
              }: committed ${formatShare(committedShare)} investment${
                sprint.state === "future"
                  ? ""
                  : `, ${actualWord}${soFar} ${formatShare(actualShare)}`
              }. Open its issues.`;
              const band = sprint.target;
              return (
                <g
                  key={sprint.id}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  className={`chart-slot chart-${sprint.state}`}
                  data-sprint={sprint.id}
                  onClick={() => onOpen(sprint)}
                  onKeyDown={(event) => keyOpen(event, sprint)}
                >
                  <title>
                    {label}
                    {own
                      .map((flag) => `\n${flag.severity.toUpperCase()}: ${flag.message}`)
                      .join("")}
                  </title>
                  <rect
                    x={x - 2}
                    y={TOP - 24}
                    width={SLOT - 2}
                    height={HEIGHT - TOP + 22}
                    className="chart-hit"
                  />
                  {band && (
                    <rect
                      x={x - 1}
                      width={SLOT - 4}
                      y={y(band.investmentShare + band.tolerance)}
                      height={
                        y(band.investmentShare - band.tolerance) -
                        y(band.investmentShare + band.tolerance)
                      }
                      className="chart-band"
                    />
                  )}
                  <Stack split={sprint.committed} x={x} kind="committed" />
                  {sprint.state === "future" ? null : (
                    <Stack
                      split={actual}
                      x={x + BAR + 2}
                      kind="actual"
                      partial={sprint.state === "active"}
                    />
                  )}
                  {actualShare !== null && sprint.state !== "future" && (
                    <line
                      x1={x + BAR}
                      x2={x + 2 * BAR + 4}
                      y1={y(actualShare)}
                      y2={y(actualShare)}
                      className="chart-share"
                    />
                  )}
                  <text
                    x={x + BAR + 1}
                    y={TOP + PLOT_HEIGHT + 14}
                    textAnchor="middle"
                    className="chart-label"
                  >
                    {sprint.name.slice(prefix.length)}
                  </text>
                  {/* Unrendered in SVG; keeps the slot's words apart in its text content. */}{" "}
                  {sprint.state !== "closed" && (
                    <text
                      x={x + BAR + 1}
                      y={TOP + PLOT_HEIGHT + 27}
                      textAnchor="middle"
                      className="chart-state"
                    >
                      {stateWord}
                    </text>
                  )}{" "}
                  {worst && (
                    <g className={`chart-flag chart-flag-${worst.severity}`}>
                      <circle cx={x + BAR + 1} cy={TOP - 12} r={7} />
                      <text x={x + BAR + 1} y={TOP - 8.5} textAnchor="middle">
                        {own.length}
                      </text>
                    </g>
                  )}
                </g>
              );
            })}
          </svg>
        </div>
      </div>
      {prefix && (
        <p className="ds-text-small ds-text-subtle chart-prefix">
          Sprint names all start with “{prefix.trim()}”; hover or focus a sprint for its full name.
        </p>
      )}
    </>
  );
}

/** What the bars mean, in words and swatches. */
export function ChartLegend({ measure }: { measure: ActualMeasure }): ReactNode {
  return (
    <ul className="chart-legend ds-text-small" aria-label="Legend">
      <li>
        <span className="swatch chart-roadmap" /> Roadmap
      </li>
      <li>
        <span className="swatch swatch-investment" /> Investment
      </li>
      <li>
        <span className="swatch swatch-unclassified" /> Unclassified
      </li>
      <li>
        <span className="swatch swatch-band" /> Target band
      </li>
      <li>
        <span className="swatch swatch-flag" /> Flags on the sprint
      </li>
      <li>
        Left bar: committed at sprint start. Right bar:{" "}
        {measure === "spent" ? "time spent (person-days in progress)" : "work delivered"}; the
        active sprint's is so far, marked “now”.
      </li>
    </ul>
  );
}
