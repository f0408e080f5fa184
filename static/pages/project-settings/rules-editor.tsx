/**
 * The team's classification rules (SPEC §3), first match wins, with a live preview of what each
 * rule would classify on the board. Rules only reach items that no label or ancestor decided.
 */
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { RulePreview, RulesPreview, TeamSettings } from "../../../src/app/index";
import {
  type Category,
  describeRuleCondition,
  findTitlePatternProblem,
  type Rule,
} from "../../../src/domain/index";
import * as z from "zod/mini";
import { callResolver } from "../../shared/client";
import { keptList, keptText } from "../../shared/draft-store";
import { CATEGORY_NAMES, ErrorMessage } from "../../shared/ui";

/** A rule as the person types it: comma-separated lists and a pattern, kept as text until saved. */
interface RuleRow {
  readonly key: number;
  readonly type: string;
  readonly labels: string;
  readonly components: string;
  readonly project: string;
  readonly titleMatches: string;
  readonly then: Category;
}

type ListField = "type" | "labels" | "components" | "project";
const LIST_FIELDS: readonly { field: ListField; name: string; hint: string }[] = [
  { field: "type", name: "Issue types", hint: "e.g. Story, Feature" },
  { field: "labels", name: "Labels", hint: "e.g. tech-debt, security" },
  { field: "components", name: "Components", hint: "e.g. Billing" },
  { field: "project", name: "Projects", hint: "e.g. PAY" },
];

/** Waits this long after the last keystroke before asking for a preview, so typing stays cheap. */
const PREVIEW_DELAY_MS = 400;

/** A rule as `settings/set` takes it. */
export type EditedRule = NonNullable<TeamSettings["rules"]>[number];

const keptValues = z.optional(keptList(keptText(500), 200));
/** Rules as kept in the browser between visits: the shape `toRule` makes, with generous bounds. */
export const rulesDraftSchema = keptList(
  z.strictObject({
    if: z.strictObject({
      type: keptValues,
      labels: keptValues,
      components: keptValues,
      project: keptValues,
      titleMatches: z.optional(keptText(2000)),
    }),
    then: z.enum(["roadmap", "investment"]),
  }),
  200,
);

let nextKey = 1;

function toRow(rule: Rule): RuleRow {
  const text = (list: readonly string[] | undefined) => (list ?? []).join(", ");
  return {
    key: nextKey++,
    type: text(rule.if.type),
    labels: text(rule.if.labels),
    components: text(rule.if.components),
    project: text(rule.if.project),
    titleMatches: rule.if.titleMatches ?? "",
    then: rule.then,
  };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

function toRule(row: RuleRow): EditedRule {
  const condition: EditedRule["if"] = {};
  for (const { field } of LIST_FIELDS) {
    const values = splitList(row[field]);
    if (values.length > 0) condition[field] = values;
  }
  if (row.titleMatches.trim() !== "") condition.titleMatches = row.titleMatches;
  return { if: condition, then: row.then };
}

/** What keeps a row from being saved, in words; null when it can be. */
function findProblem(row: RuleRow): string | null {
  const rule = toRule(row);
  if (Object.keys(rule.if).length === 0) {
    return "Give this rule at least one condition, or remove it: a rule without one would claim every item that reaches it.";
  }
  // The engine classification uses (RE2), so the page accepts exactly the patterns the app does.
  const problem =
    rule.if.titleMatches === undefined ? null : findTitlePatternProblem(rule.if.titleMatches);
  if (problem !== null) return `The title pattern is ${problem}.`;
  return null;
}

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** The rules on screen and the rules in force on the board they were read from. */
export interface RulesEdit {
  readonly boardId: number;
  readonly rules: readonly EditedRule[];
  readonly inForce: readonly EditedRule[];
}

export function RulesEditor({
  boardId,
  onSave,
  busy,
  onRulesChange,
  restore,
}: {
  boardId: number;
  /** Stores the rules (an empty list means the defaults); true when they were stored. */
  onSave: (rules: EditedRule[]) => Promise<boolean>;
  busy: boolean;
  /** Told what is on screen against what is in force (null while reading), for unsaved edits. */
  onRulesChange?: (edit: RulesEdit | null) => void;
  /** Rules to put on screen once the rules in force are read: kept edits the person restores. */
  restore?: readonly EditedRule[] | null;
}): ReactNode {
  const [inForce, setInForce] = useState<readonly EditedRule[] | null>(null);
  const [rows, setRows] = useState<readonly RuleRow[]>([]);
  const [answer, setAnswer] = useState<{ key: string; preview: RulesPreview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const latest = useRef(0);

  // The rules in force come from the board itself, so a team whose rules were set elsewhere
  // (a workspace file, an older version) edits what actually classifies its issues.
  useEffect(() => {
    setInForce(null);
    void callResolver("rules/preview", { boardId }).then((outcome) => {
      if (!outcome.ok) return setPreviewError(outcome.message);
      const own = outcome.data.usesDefaultRules
        ? []
        : outcome.data.rules.map((rule) => toRule(toRow(rule)));
      setInForce(own);
      setRows(own.map(toRow));
      setAnswer({ key: `${boardId}:${JSON.stringify(own)}`, preview: outcome.data });
    });
  }, [boardId, version]);

  const problems = useMemo(() => rows.map(findProblem), [rows]);
  const valid = problems.every((problem) => problem === null);
  const rules = useMemo(() => rows.map(toRule), [rows]);
  const rulesKey = JSON.stringify(rules);
  const dirty = inForce !== null && rulesKey !== JSON.stringify(inForce);
  useEffect(
    () => onRulesChange?.(inForce === null ? null : { boardId, rules, inForce }),
    [boardId, rules, inForce, onRulesChange],
  );
  // Each restore once: the rules in force read again after a save must not bring it back.
  const restored = useRef<readonly EditedRule[] | null>(null);
  useEffect(() => {
    if (!restore || inForce === null || restored.current === restore) return;
    restored.current = restore;
    setRows(restore.map((rule) => toRow(rule)));
  }, [restore, inForce]);

  useEffect(() => {
    if (!valid || inForce === null) return;
    const key = `${boardId}:${rulesKey}`;
    const request = ++latest.current;
    // Back to the draft the last answer was for (an edit undone): that answer stands, and one
    // still in flight for the abandoned draft is dropped by the request check below.
    if (answer?.key === key) return;
    const timer = setTimeout(() => {
      void callResolver("rules/preview", { boardId, rules: JSON.parse(rulesKey) as Rule[] }).then(
        (outcome) => {
          // An answer to an older draft arriving late must not overwrite the newer one's.
          if (request !== latest.current) return;
          if (!outcome.ok) return setPreviewError(outcome.message);
          setPreviewError(null);
          setAnswer({ key, preview: outcome.data });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // `answer` is left out on purpose: a new answer must not ask for itself again.
  }, [boardId, rulesKey, valid, inForce]);

  const save = async (): Promise<void> => {
    if (await onSave(rules)) setVersion((v) => v + 1);
  };

  const update = (index: number, change: Partial<RuleRow>): void =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const move = (index: number, by: -1 | 1): void => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row) next.splice(index + by, 0, row);
    setRows(next);
  };
  const remove = (index: number): void => setRows(rows.filter((_, i) => i !== index));
  const add = (): void =>
    setRows([
      ...rows,
      {
        key: nextKey++,
        type: "",
        labels: "",
        components: "",
        project: "",
        titleMatches: "",
        then: "investment",
      },
    ]);
  const editDefaults = (): void => {
    if (preview?.usesDefaultRules) {
      setRows(preview.rules.map((rule) => toRow({ if: rule.if, then: rule.then })));
    }
  };

  const preview = answer?.preview ?? null;
  // Counts belong to the draft they were computed for; a moved or edited row waits for its own.
  const counts = answer && valid && answer.key === `${boardId}:${rulesKey}` ? answer.preview : null;
  return (
    <section aria-labelledby="rules-heading" data-testid="rules-editor">
      <h2 id="rules-heading">Classification rules</h2>
      <p className="subtle">
        An issue with the roadmap or investment label, or under a parent that has one, keeps that
        category. Every other issue takes the category of the first rule below whose conditions all
        hold; within a field any listed value matches, ignoring case.
      </p>
      {rows.length === 0 ? (
        <DefaultRules preview={preview} onEdit={editDefaults} />
      ) : (
        <ol className="rules">
          {rows.map((row, index) => (
            <RuleEditorRow
              key={row.key}
              row={row}
              index={index}
              last={index === rows.length - 1}
              problem={problems[index] ?? null}
              count={counts?.rules[index] ?? null}
              waiting={
                previewError !== null
                  ? "not counted: the preview failed"
                  : !valid
                    ? problems[index]
                      ? "not counted until this rule is fixed"
                      : null
                    : null
              }
              onChange={(change) => update(index, change)}
              onMove={(by) => move(index, by)}
              onRemove={() => remove(index)}
            />
          ))}
        </ol>
      )}
      <div className="row">
        <button type="button" onClick={add}>
          Add rule
        </button>
        <button
          type="button"
          onClick={() => setRows([])}
          disabled={rows.length === 0}
          title="Use the product's default rules"
        >
          Reset to defaults
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !valid || !dirty || inForce === null}
          onClick={() => void save()}
        >
          Save rules
        </button>
        <span className="subtle" role="status">
          {!valid
            ? "Fix the rules marked above to save them."
            : dirty
              ? "Unsaved changes."
              : "Saved."}
        </span>
      </div>
      <PreviewSummary
        preview={counts}
        error={previewError}
        invalid={problems.flatMap((problem, index) => (problem === null ? [] : [index + 1]))}
      />
    </section>
  );
}

function RuleEditorRow({
  row,
  index,
  last,
  problem,
  count,
  waiting,
  onChange,
  onMove,
  onRemove,
}: {
  row: RuleRow;
  index: number;
  last: boolean;
  problem: string | null;
  count: RulePreview | null;
  /** Why the row has no count and will not get one until something changes; null while counting. */
  waiting: string | null;
  onChange: (change: Partial<RuleRow>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}): ReactNode {
  const problemId = useId();
  const name = `Rule ${index + 1}`;
  return (
    <li className="card rule" data-testid={`rule-${index + 1}`}>
      <fieldset aria-describedby={problem ? problemId : undefined}>
        <legend>
          {name}
          <span className="subtle rule-count" data-testid={`rule-${index + 1}-count`}>
            {count !== null
              ? ` · would classify ${plural(count.items, "item")}`
              : waiting !== null
                ? ` · ${waiting}`
                : " · counting…"}
          </span>
        </legend>
        <div className="rule-fields">
          {LIST_FIELDS.map(({ field, name: fieldName, hint }) => (
            <label key={field}>
              {fieldName}
              <input
                type="text"
                value={row[field]}
                placeholder={hint}
                aria-label={`${name} ${fieldName.toLowerCase()}`}
                onChange={(event) => onChange({ [field]: event.target.value })}
              />
            </label>
          ))}
          <label>
            Title matches
            <input
              type="text"
              value={row.titleMatches}
              placeholder="e.g. ^migrate\b"
              aria-label={`${name} title pattern`}
              aria-invalid={problem?.startsWith("The title pattern") ? true : undefined}
              spellCheck={false}
              onChange={(event) => onChange({ titleMatches: event.target.value })}
            />
          </label>
          <label>
            Then
            <select
              value={row.then}
              aria-label={`${name} category`}
              onChange={(event) =>
                onChange({ then: event.target.value === "roadmap" ? "roadmap" : "investment" })
              }
            >
              <option value="roadmap">{CATEGORY_NAMES.roadmap}</option>
              <option value="investment">{CATEGORY_NAMES.investment}</option>
            </select>
          </label>
        </div>
        {problem && (
          <p id={problemId} className="message message-error rule-problem">
            {problem}
          </p>
        )}
        <div className="row">
          <button
            type="button"
            onClick={() => onMove(-1)}
            disabled={index === 0}
            aria-label={`Move ${name.toLowerCase()} up`}
          >
            ↑ Up
          </button>
          <button
            type="button"
            onClick={() => onMove(1)}
            disabled={last}
            aria-label={`Move ${name.toLowerCase()} down`}
          >
            ↓ Down
          </button>
          <button type="button" onClick={onRemove} aria-label={`Remove ${name.toLowerCase()}`}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function DefaultRules({
  preview,
  onEdit,
}: {
  preview: RulesPreview | null;
  onEdit: () => void;
}): ReactNode {
  return (
    <div className="card" data-testid="default-rules">
      <p>This team has no rules of its own, so the default rules apply:</p>
      {preview?.usesDefaultRules ? (
        <ol>
          {preview.rules.map((rule) => (
            <li key={rule.rule}>
              {describeRuleCondition(rule.if)} → {CATEGORY_NAMES[rule.then]}{" "}
              <span className="subtle">({plural(rule.items, "item")})</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="subtle">Loading the default rules…</p>
      )}
      <button type="button" onClick={onEdit} disabled={!preview?.usesDefaultRules}>
        Edit a copy of the defaults
      </button>
    </div>
  );
}

function PreviewSummary({
  preview,
  error,
  invalid,
}: {
  preview: RulesPreview | null;
  error: string | null;
  /** The numbers of the rules that cannot be saved as they are. */
  invalid: readonly number[];
}): ReactNode {
  return (
    <div className="card preview" data-testid="rules-preview" aria-live="polite">
      <h3>Preview on this board</h3>
      {error ? (
        <ErrorMessage message={error} />
      ) : invalid.length > 0 ? (
        <p className="subtle" data-testid="rules-waiting">
          No rule is counted until {invalid.length === 1 ? "rule" : "rules"} {invalid.join(", ")}{" "}
          {invalid.length === 1 ? "is" : "are"} fixed.
        </p>
      ) : !preview ? (
        <p className="subtle">Counting the board's issues…</p>
      ) : (
        <>
          <p>
            Of {plural(preview.items, "issue")}, {preview.explicit} carry a category label and{" "}
            {preview.inherited} inherit one from a parent, so no rule reaches them;{" "}
            {preview.conflict > 0
              ? `${preview.conflict} ${preview.conflict === 1 ? "has" : "have"} both labels; `
              : ""}
            <strong data-testid="preview-unclassified">
              {plural(preview.unclassified, "issue")} would stay unclassified
            </strong>{" "}
            and{" "}
            <strong data-testid="preview-changed">
              {plural(preview.changed, "issue")} would change category
            </strong>{" "}
            compared with the saved rules.
          </p>
          {preview.examples.length > 0 && (
            <ul className="subtle">
              {preview.examples.map((example) => (
                <li key={example.id}>
                  {example.id} {example.title}: {CATEGORY_NAMES[example.from]} →{" "}
                  {CATEGORY_NAMES[example.to]}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
