import {
  createContext,
  describeDecidingRule,
  describeRuleCondition,
  explainClassification,
  type ExplainStep,
  type Item,
  type Team,
  withUnit,
} from "../../domain/index";
import { cleanText, formatInstant, formatWeight } from "../../render/index";
import { CliError, formatOptions, nowOption, type OptionSpecs } from "../args";
import {
  HELP_OPTION,
  WORKSPACE_OPTIONS,
  nowOptionSpec,
  startCommand,
  workspaceOption,
} from "../command";
import type { CliIo } from "../io";
import { formatDays, measureItemEffort, type ItemEffort } from "./item-effort";

const OPTIONS: OptionSpecs = {
  ...WORKSPACE_OPTIONS,
  ...nowOptionSpec("the moment the demo is generated for"),
  ...HELP_OPTION,
};

export const EXPLAIN_HELP = `Usage: capacity-split explain [--input FILE | --demo] ITEM_ID

An item's category and why: its own labels, each ancestor up the parent chain, and each rule
tried, in the order the classification checks them. Then what it adds to its team's numbers:
the weight it delivered, and the person-days it was in progress (spent: each assignee's time
split equally over their work in progress), in total, per sprint it was in and per quarter.
Never whose time it was.

Options:
${formatOptions(OPTIONS)}
`;

export function runExplain(argv: readonly string[], io: CliIo): number {
  const args = startCommand(
    { name: "explain", options: OPTIONS, help: EXPLAIN_HELP, maxPositionals: 1 },
    argv,
    io,
  );
  if (args === null) return 0;
  const itemId = args.positionals[0];
  if (itemId === undefined)
    throw new CliError('Missing ITEM_ID: "capacity-split explain --input FILE ITEM_ID".');
  const now = nowOption(args, io.now ?? Date.now);
  const workspace = workspaceOption(args, now);
  const context = createContext(workspace);
  const item = context.itemById.get(itemId);
  if (!item) {
    const lower = itemId.toLowerCase();
    const near = workspace.items.filter((i) => i.id.toLowerCase().includes(lower)).slice(0, 5);
    const hint = near.length > 0 ? ` Did you mean ${near.map((i) => i.id).join(", ")}?` : "";
    throw new CliError(`No item ${JSON.stringify(itemId)} in this workspace.${hint}`);
  }
  const { classification, steps } = explainClassification(item, context);
  const lines = [
    `${item.id} ${item.title}`,
    `Category: ${classification.category} (${describeSource(classification.source, classification.via, context.itemById, context.teamById.get(item.teamId))})`,
  ];
  if (item.status === "canceled") {
    lines.push(
      "Canceled: left out of committed and delivered weight; its time in progress counts as spent.",
    );
  }
  lines.push("", "Why:");
  steps.forEach((step, i) => lines.push(`  ${i + 1}. ${describeStep(step)}`));
  const team = context.teamById.get(item.teamId);
  lines.push(
    "",
    ...describeEffort(
      measureItemEffort(workspace, item, now),
      item.status,
      team?.unit ?? "points",
      team?.actual ?? "delivered",
    ),
  );
  io.stdout.write(`${lines.map(cleanText).join("\n")}\n`);
  return 0;
}

function describeEffort(
  effort: ItemEffort,
  status: Item["status"],
  unit: Team["unit"],
  actual: NonNullable<Team["actual"]>,
): string[] {
  const { delivered } = effort;
  const lines = [
    `Its team's flags judge ${actual === "spent" ? "spent effort" : "delivered weight"}.`,
  ];
  if (delivered === null) {
    lines.push(
      status === "canceled"
        ? "Delivered: never (canceled)."
        : `Delivered: not yet (status ${status}).`,
    );
  } else {
    const where = delivered.sprint === null ? "in no sprint" : `in ${delivered.sprint.name}`;
    lines.push(
      `Delivered: ${withUnit(delivered.weight, formatWeight(delivered.weight), unit)}, done ${formatInstant(new Date(delivered.at).toISOString())}, ` +
        `${where}, ${delivered.quarterId}.`,
    );
  }
  if (effort.spentDays === 0) {
    lines.push("Spent: none: no time in progress is recorded for it.");
    return lines;
  }
  // SPEC §6a: an assignee's time is split equally over everything they have in progress.
  lines.push(`Spent: ${formatDays(effort.spentDays)} while in progress, up to now.`);
  for (const period of [...effort.spentBySprint, ...effort.spentByQuarter]) {
    lines.push(`  ${period.name}: ${formatDays(period.days)}`);
  }
  return lines;
}

function describeSource(
  source: string,
  via: string | null,
  items: ReadonlyMap<string, Item>,
  team: Pick<Team, "rules"> | undefined,
): string {
  switch (source) {
    case "explicit":
      return "explicit label";
    case "conflict":
      return "both labels set: a conflict to resolve";
    case "inherited":
      return `inherited from ${via ?? "?"} ${items.get(via ?? "")?.title ?? ""}`.trimEnd();
    case "rule": {
      const words = team === undefined ? null : describeDecidingRule(team, via);
      return words === null ? (via ?? "rule") : `${(via ?? "rule").replace(":", " ")}: ${words}`;
    }
    default:
      return "no label, ancestor or rule applies";
  }
}

function describeStep(step: ExplainStep): string {
  switch (step.kind) {
    case "labels": {
      const labels = step.labels.length > 0 ? step.labels.join(", ") : "none";
      const expected = `${step.expected.roadmap} / ${step.expected.investment}`;
      const verdict =
        step.found === "conflict"
          ? "carries both labels, so it is unclassified and does not inherit"
          : step.found !== null
            ? `carries the ${step.found} label`
            : `carries neither ${expected}`;
      return `${step.itemId} labels [${labels}]: ${verdict}.`;
    }
    case "ancestor": {
      const verdict =
        step.found === "conflict"
          ? "carries both labels, skipped"
          : step.found !== null
            ? `labelled ${step.found}: inherited`
            : "no explicit label";
      return `ancestor ${step.depth}: ${step.itemId} ${step.title}: ${verdict}.`;
    }
    case "chain-end":
      switch (step.reason) {
        case "top":
          return "end of the parent chain: nothing to inherit.";
        case "cycle":
          return `${step.itemId ?? ""} was already visited: a parent cycle, ignored.`;
        case "depth":
          return "stopped after 10 ancestors.";
        case "missing":
          return `parent ${step.itemId ?? ""} is not in the workspace.`;
      }
      break;
    case "rule":
      return `${step.isDefault ? "default " : ""}rule ${step.index} (${describeRuleCondition(step.rule.if)} → ${step.rule.then}): ${step.matched ? "matches" : "does not match"}.`;
  }
  return "";
}
