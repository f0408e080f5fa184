/** The team's unit, actual measure, labels, fiscal year, timezone and unestimated weight. */
import type { FormEvent, ReactNode } from "react";
import * as z from "zod/mini";
import type { TeamDefaults, TeamSettings } from "../../../src/app/index";
import { keptText } from "../../shared/draft-store";

/** What this form edits: the settings without the rules, which have their own editor. */
export type FormSettings = Omit<TeamSettings, "rules">;

/** The form's settings as kept in the browser between visits: what its fields can hold. */
export const formSettingsSchema = z.strictObject({
  unit: z.optional(z.enum(["points", "issues"])),
  unestimatedWeight: z.optional(z.number()),
  timezone: z.optional(keptText(100)),
  labels: z.optional(z.strictObject({ roadmap: keptText(500), investment: keptText(500) })),
  fiscalYearStartMonth: z.optional(z.int().check(z.minimum(1), z.maximum(12))),
  actual: z.optional(z.enum(["delivered", "spent"])),
}) satisfies z.ZodMiniType<FormSettings>;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const LABEL_KINDS = [
  { kind: "roadmap", name: "Roadmap label" },
  { kind: "investment", name: "Investment label" },
] as const;

/**
 * Each field shows the value in force: the team's own, else the board's default. A field the
 * person sets back to its default is left out of the settings, so it keeps following the default.
 */
export function TeamSettingsForm({
  settings,
  defaults,
  onChange,
  busy,
  onSubmit,
}: {
  readonly settings: TeamSettings;
  /** What applies to each field the settings leave out (`settings/get`'s `defaults`). */
  readonly defaults: TeamDefaults;
  readonly onChange: (settings: TeamSettings) => void;
  readonly busy: boolean;
  readonly onSubmit: (event: FormEvent) => void;
}): ReactNode {
  const labels = { ...defaults.labels, ...settings.labels };
  /** The settings with `key` set to `value`, or left out when that is the default. */
  const choose = <K extends keyof TeamDefaults>(key: K, value: TeamDefaults[K]): TeamSettings =>
    withOptional(
      settings,
      key,
      JSON.stringify(value) === JSON.stringify(defaults[key]) ? undefined : value,
    );
  return (
    <form onSubmit={onSubmit} className="row" style={{ alignItems: "flex-end" }}>
      <label>
        Unit
        <select
          value={settings.unit ?? defaults.unit}
          onChange={(e) =>
            onChange(choose("unit", e.target.value === "issues" ? "issues" : "points"))
          }
        >
          <option value="points">Story points</option>
          <option value="issues">Issues</option>
        </select>
      </label>
      <label>
        Flags judge
        <select
          value={settings.actual ?? defaults.actual}
          aria-describedby="actual-measure-help"
          onChange={(e) =>
            onChange(choose("actual", e.target.value === "spent" ? "spent" : "delivered"))
          }
        >
          <option value="delivered">Delivered work</option>
          <option value="spent">Spent effort</option>
        </select>
        <span id="actual-measure-help" className="subtle field-help">
          Delivered counts finished work in the team&apos;s unit; spent counts people&apos;s days on
          work in progress, from status and assignee history.
        </span>
      </label>
      {LABEL_KINDS.map(({ kind, name }) => (
        <label key={kind}>
          {name}
          <input
            type="text"
            value={labels[kind]}
            onChange={(e) => onChange(choose("labels", { ...labels, [kind]: e.target.value }))}
          />
        </label>
      ))}
      <label>
        Fiscal year starts in
        <select
          value={settings.fiscalYearStartMonth ?? defaults.fiscalYearStartMonth}
          onChange={(e) => onChange(choose("fiscalYearStartMonth", Number(e.target.value)))}
        >
          {MONTHS.map((month, index) => (
            <option key={month} value={index + 1}>
              {month}
            </option>
          ))}
        </select>
      </label>
      <label>
        Timezone
        <select
          value={settings.timezone ?? ""}
          onChange={(e) =>
            onChange(withOptional(settings, "timezone", e.target.value || undefined))
          }
        >
          <option value="">The board&apos;s own ({defaults.timezone})</option>
          {timezoneChoices(settings.timezone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <label>
        Weight of an unestimated item
        <input
          type="number"
          min={0}
          step={0.5}
          style={{ width: 96 }}
          aria-describedby="unestimated-weight-help"
          value={settings.unestimatedWeight ?? ""}
          onChange={(e) =>
            onChange(
              withOptional(
                settings,
                "unestimatedWeight",
                e.target.value === "" ? undefined : Number(e.target.value),
              ),
            )
          }
        />
        <span id="unestimated-weight-help" className="subtle field-help">
          Left empty: {defaults.unestimatedWeight}, the board&apos;s default.
        </span>
      </label>
      <button type="submit" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}

/** The settings with `key` set, or left out when `value` is undefined (the board's own applies). */
function withOptional<T extends object, K extends keyof T>(
  settings: T,
  key: K,
  value: T[K] | undefined,
): T {
  const next = { ...settings };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The browser's IANA zones (quarters and target dates follow the team's), a saved one first. */
function timezoneChoices(saved: string | undefined): string[] {
  const zones =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([...(saved === undefined ? [] : [saved]), "UTC", ...zones])];
}
