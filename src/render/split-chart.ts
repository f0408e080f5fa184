/**
 * The per-sprint split chart as inline SVG, shared by the HTML report and, later, the app's UI.
 * Standalone: no scripts, fonts or external references, and valid XML on its own.
 */

import type { SprintReport, TargetRef, TeamReport } from "../domain/index";
import {
  describeTarget,
  escapeXml,
  formatShare,
  formatSplit,
  formatWeight,
  sprintBasis,
  sprintsByStart,
} from "./report-format";

export const SPLIT_COLORS = {
  roadmap: "#0C66E4",
  investment: "#6E5DC6",
  unclassified: "#8590A2",
  band: "#22A06B",
  bandEdge: "#216E4E",
  text: "#172B4D",
  subtle: "#626F86",
  grid: "#DCDFE4",
  spent: "#E56910",
} as const;

/** Widest slot per sprint; with many sprints slots shrink so the whole history fits ~1,000px. */
const MAX_SLOT = 76;
const MIN_SLOT = 20;
const PLOT_WIDTH = 1000;
const LEFT = 56;
const RIGHT = 16;
const LEGEND_HEIGHT = 64;
const PLOT_TOP = LEGEND_HEIGHT + 20;
const PLOT_HEIGHT = 200;
const PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT;
const HEIGHT = PLOT_BOTTOM + 50;
const MIN_WIDTH = 640;
// At 10px a label character is about 6px wide; longer names are cut and kept whole in the tooltip.
const LABEL_CHARS = 12;

/** Bottom to top: the investment share, once the grey is triaged, can only land inside the grey. */
const STACK = ["investment", "unclassified", "roadmap"] as const;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function y(share: number): number {
  return round(PLOT_TOP + PLOT_HEIGHT * (1 - Math.min(1, Math.max(0, share))));
}

/**
 * Pattern ids are document-global in HTML, so each chart gets its own prefix: the team id
 * reduced to id-safe characters plus a hash that keeps `A B` and `A_B` apart.
 */
function idPrefix(teamId: string): string {
  let hash = 0x811c9dc5;
  for (const char of teamId) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const slug = teamId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 24);
  return `split-${slug}-${hash.toString(36)}`;
}

function patterns(prefix: string): string {
  const c = SPLIT_COLORS;
  return [
    "<defs>",
    `<pattern id="${prefix}-investment" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`,
    `<rect width="6" height="6" fill="${c.investment}"/>`,
    `<line x1="0" y1="0" x2="0" y2="6" stroke="#FFFFFF" stroke-width="2" stroke-opacity="0.45"/>`,
    "</pattern>",
    `<pattern id="${prefix}-unclassified" width="6" height="6" patternUnits="userSpaceOnUse">`,
    `<rect width="6" height="6" fill="${c.unclassified}"/>`,
    `<circle cx="3" cy="3" r="1.3" fill="#FFFFFF" fill-opacity="0.6"/>`,
    "</pattern>",
    "</defs>",
  ].join("");
}

function fillOf(prefix: string, part: (typeof STACK)[number]): string {
  return part === "roadmap" ? SPLIT_COLORS.roadmap : `url(#${prefix}-${part})`;
}

/** SPEC §6a: the spent investment share, a diamond with a white rim so it reads on any fill. */
function spentMarker(cx: number, cy: number): string {
  const r = 6;
  return `<path class="spent-marker" d="M${cx} ${round(cy - r)}L${cx + r} ${cy}L${cx} ${round(cy + r)}L${cx - r} ${cy}Z" fill="${SPLIT_COLORS.spent}" stroke="#FFFFFF" stroke-width="1.5"/>`;
}

function legend(prefix: string, hasTarget: boolean): string {
  const c = SPLIT_COLORS;
  const swatch = (x: number, fill: string, label: string): string =>
    `<rect x="${x}" y="8" width="14" height="14" fill="${fill}"/>` +
    `<text x="${x + 20}" y="19">${label}</text>`;
  return [
    '<g class="legend" font-size="12">',
    swatch(LEFT, fillOf(prefix, "roadmap"), "Roadmap"),
    swatch(LEFT + 100, fillOf(prefix, "investment"), "Investment"),
    swatch(LEFT + 210, fillOf(prefix, "unclassified"), "Unclassified"),
    spentMarker(LEFT + 337, 15),
    `<text x="${LEFT + 350}" y="19">Spent investment share (person-days)</text>`,
    `<rect x="${LEFT}" y="30" width="14" height="14" fill="${c.band}" fill-opacity="0.3" stroke="${c.bandEdge}" stroke-dasharray="3 2"/>`,
    `<text x="${LEFT + 20}" y="41">${hasTarget ? "Target band (t ± tolerance)" : "No target declared: no band"}</text>`,
    `<line x1="${LEFT + 210}" y1="37" x2="${LEFT + 226}" y2="37" stroke="#FFFFFF" stroke-width="5"/>`,
    `<line x1="${LEFT + 210}" y1="37" x2="${LEFT + 226}" y2="37" stroke="${c.text}" stroke-width="3"/>`,
    `<text x="${LEFT + 232}" y="41">Investment share I ÷ (R + I)</text>`,
    `<text x="${LEFT}" y="60" fill="${c.subtle}">Bars and line, closed: delivered weight · active and future (faded, dashed): committed weight</text>`,
    "</g>",
  ].join("");
}

function axis(width: number): string {
  const c = SPLIT_COLORS;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(
    (share) =>
      `<line x1="${LEFT}" y1="${y(share)}" x2="${width - RIGHT}" y2="${y(share)}" stroke="${c.grid}"/>` +
      `<text x="${LEFT - 6}" y="${y(share) + 4}" text-anchor="end">${formatShare(share)}</text>`,
  );
  const middle = PLOT_TOP + PLOT_HEIGHT / 2;
  return (
    `<g class="axis" font-size="11" fill="${c.subtle}">${ticks.join("")}` +
    `<text x="14" y="${middle}" text-anchor="middle" transform="rotate(-90 14 ${middle})">Share of sprint weight</text></g>`
  );
}

function truncateLabel(text: string): string {
  const chars = Array.from(text);
  return chars.length <= LABEL_CHARS ? text : `${chars.slice(0, LABEL_CHARS - 1).join("")}…`;
}

/** "—" is read aloud as "em dash"; say why there is no share instead. */
function spokenShare(share: number | null): string {
  return share === null ? "no classified work" : formatShare(share);
}

function tooltip(team: TeamReport, sprint: SprintReport): string {
  const { basis, split, share } = sprintBasis(sprint);
  const spent =
    sprint.spent === undefined
      ? ""
      : `; spent R / I / U ${formatSplit(sprint.spent)} person-days, investment share ${spokenShare(sprint.investmentShare.spent)}`;
  return (
    `${sprint.name} (${sprint.state}), ${basis}: roadmap ${formatWeight(split.roadmap)}, ` +
    `investment ${formatWeight(split.investment)}, unclassified ${formatWeight(split.unclassified)} ${team.unit}; ` +
    `investment share ${spokenShare(share)}${spent}; ${describeTarget(sprint.target)}; flags judge ${team.actual}`
  );
}

function band(x: number, SLOT: number, target: TargetRef | null): string {
  if (target === null) return "";
  const c = SPLIT_COLORS;
  const top = y(target.investmentShare + target.tolerance);
  const bottom = y(target.investmentShare - target.tolerance);
  return (
    `<rect x="${x}" y="${top}" width="${SLOT}" height="${round(bottom - top)}" fill="${c.band}" fill-opacity="0.28"/>` +
    `<line x1="${x}" y1="${top}" x2="${x + SLOT}" y2="${top}" stroke="${c.bandEdge}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
    `<line x1="${x}" y1="${bottom}" x2="${x + SLOT}" y2="${bottom}" stroke="${c.bandEdge}" stroke-width="1.5" stroke-dasharray="4 3"/>`
  );
}

interface Layout {
  readonly slot: number;
  readonly bar: number;
  /** Label every n-th sprint (and always the last) so labels never overlap. */
  readonly labelEvery: number;
  readonly count: number;
}

function layoutFor(count: number): Layout {
  const slot = Math.max(MIN_SLOT, Math.min(MAX_SLOT, Math.floor(PLOT_WIDTH / Math.max(1, count))));
  return {
    slot,
    bar: Math.round(slot * 0.55),
    labelEvery: Math.ceil(MAX_SLOT / slot),
    count,
  };
}

function bar(
  team: TeamReport,
  sprint: SprintReport,
  index: number,
  prefix: string,
  layout: Layout,
): string {
  const c = SPLIT_COLORS;
  const SLOT = layout.slot;
  const BAR = layout.bar;
  const slotX = LEFT + index * SLOT;
  const x = slotX + (SLOT - BAR) / 2;
  const labelled = (layout.count - 1 - index) % layout.labelEvery === 0;
  const { basis, split, share } = sprintBasis(sprint);
  const total = split.roadmap + split.investment + split.unclassified;
  const planned = basis === "committed";
  const parts: string[] = [];
  if (total > 0) {
    let from = 0;
    for (const part of STACK) {
      const to = from + split[part] / total;
      if (split[part] > 0) {
        parts.push(
          `<rect x="${x}" y="${y(to)}" width="${BAR}" height="${round(y(from) - y(to))}" fill="${fillOf(prefix, part)}"${planned ? ' fill-opacity="0.55"' : ""}/>`,
        );
      }
      from = to;
    }
  } else {
    parts.push(
      `<text x="${x + BAR / 2}" y="${PLOT_TOP + PLOT_HEIGHT / 2}" text-anchor="middle" font-size="10" fill="${c.subtle}">no work</text>`,
    );
  }
  if (planned || total === 0) {
    parts.push(
      `<rect x="${x}" y="${PLOT_TOP}" width="${BAR}" height="${PLOT_HEIGHT}" fill="none" stroke="${c.subtle}" stroke-dasharray="4 3"/>`,
    );
  }
  parts.push(band(slotX, SLOT, sprint.target));
  if (share !== null) {
    parts.push(
      `<line x1="${x - 4}" y1="${y(share)}" x2="${x + BAR + 4}" y2="${y(share)}" stroke="#FFFFFF" stroke-width="5"/>`,
      `<line x1="${x - 4}" y1="${y(share)}" x2="${x + BAR + 4}" y2="${y(share)}" stroke="${c.text}" stroke-width="3"/>`,
    );
  }
  const center = slotX + SLOT / 2;
  if (sprint.investmentShare.spent !== null) {
    parts.push(spentMarker(round(center), y(sprint.investmentShare.spent)));
  }
  if (labelled) {
    parts.push(
      `<text x="${center}" y="${PLOT_TOP - 6}" text-anchor="middle" font-size="11" font-weight="600" fill="${c.text}">${formatShare(share)}</text>`,
      `<text x="${center}" y="${PLOT_BOTTOM + 15}" text-anchor="middle" font-size="10" fill="${c.text}">${escapeXml(truncateLabel(sprint.name))}</text>`,
      `<text x="${center}" y="${PLOT_BOTTOM + 28}" text-anchor="middle" font-size="10" fill="${c.subtle}">${sprint.state}</text>`,
      `<text x="${center}" y="${PLOT_BOTTOM + 41}" text-anchor="middle" font-size="10" fill="${c.subtle}">${basis}</text>`,
    );
  }
  return `<g class="sprint sprint-${sprint.state}"><title>${escapeXml(tooltip(team, sprint))}</title>${parts.join("")}</g>`;
}

function ariaLabel(team: TeamReport, sprints: readonly SprintReport[]): string {
  const head = `Investment share per sprint for ${team.name} (${team.id})`;
  if (sprints.length === 0) return `${head}: no sprints.`;
  const parts = sprints.map((sprint) => {
    const { basis, share } = sprintBasis(sprint);
    const spent =
      sprint.spent === undefined ? "" : `, spent ${spokenShare(sprint.investmentShare.spent)}`;
    return `${sprint.name}, ${sprint.state}, ${basis} ${spokenShare(share)}${spent}, ${describeTarget(sprint.target)}`;
  });
  return `${head}: ${parts.join("; ")}.`;
}

/**
 * Renders a team's sprints as 100%-stacked bars of roadmap, unclassified and investment weight
 * (delivered for closed sprints, committed otherwise) on a share axis, with each sprint's target
 * band, its investment share marked by a line and its spent investment share by a diamond. `role="img"` with an `aria-label` that reads the numbers.
 */
export function renderSplitChartSvg(team: TeamReport): string {
  const sprints = sprintsByStart(team);
  const layout = layoutFor(sprints.length);
  const width = Math.max(MIN_WIDTH, LEFT + sprints.length * layout.slot + RIGHT);
  const prefix = idPrefix(team.id);
  const body =
    sprints.length === 0
      ? `<text x="${LEFT}" y="${PLOT_TOP + 20}" font-size="13" fill="${SPLIT_COLORS.subtle}">No sprints.</text>`
      : axis(width) + sprints.map((sprint, i) => bar(team, sprint, i, prefix, layout)).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="split-chart" role="img" ` +
    `aria-label="${escapeXml(ariaLabel(team, sprints))}" width="${width}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${width} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" fill="${SPLIT_COLORS.text}">` +
    patterns(prefix) +
    legend(
      prefix,
      sprints.some((s) => s.target !== null),
    ) +
    body +
    "</svg>"
  );
}
