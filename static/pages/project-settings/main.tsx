/**
 * Project settings: declare a target (starting from the one in force, with a confirmation when a
 * back-dated one re-judges closed periods), its whole history with the entry in force marked, and
 * the team's unit, actual measure, labels and fiscal year. Leaving with unsaved edits asks first.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { RejudgedPeriod, TargetEntry, TeamSettings } from "../../../src/app/index";
import { resolveTarget } from "../../../src/domain/index";
import { BoardPicker, useBoards, type BoardsState } from "../../shared/boards";
import { callResolver, newRequestId } from "../../shared/client";
import { Button, SectionMessage, StatusLozenge } from "../../shared/ds";
import { ErrorMessage, Loading, formatShare, mountPage } from "../../shared/ui";
import { RulesEditor, type EditedRule } from "./rules-editor";
import "./settings.css";

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

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The entry in force today (SPEC §8: the latest dated on or before it, the later entry on ties). */
function entryInForce(entries: readonly TargetEntry[], day: string): TargetEntry | null {
  return resolveTarget(entries, day, day);
}

/** A share as the form's whole-percent field takes it. */
const asPercent = (share: number): string => String(Math.round(share * 1000) / 10);

const LEAVE_QUESTION = "You have unsaved changes on this page. Leave them?";

/**
 * Asks before the page is left with unsaved edits: the browser's own prompt on reload or close,
 * and a confirmation before another board replaces the page's content.
 */
function useLeaveGuard(dirty: boolean, boards: BoardsState): BoardsState {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older browsers show the prompt only when a value is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  return {
    ...boards,
    select: (id) => {
      if (!dirty || window.confirm(LEAVE_QUESTION)) boards.select(id);
    },
  };
}

function describePeriods(periods: readonly RejudgedPeriod[]): string {
  const names = (kind: RejudgedPeriod["kind"]) =>
    periods.filter((period) => period.kind === kind).map((period) => period.name);
  const sprints = names("sprint");
  const quarters = names("quarter");
  return [
    sprints.length > 0
      ? `${sprints.length} closed sprint${sprints.length === 1 ? "" : "s"} (${sprints.join(", ")})`
      : "",
    quarters.length > 0
      ? `${quarters.length} closed quarter${quarters.length === 1 ? "" : "s"} (${quarters.join(", ")})`
      : "",
  ]
    .filter(Boolean)
    .join(" and ");
}

function ProjectSettings(): ReactNode {
  const allBoards = useBoards();
  const boardId = allBoards.boardId;
  const [history, setHistory] = useState<readonly TargetEntry[] | null>(null);
  const [settings, setSettings] = useState<TeamSettings | null>(null);
  const [saved, setSaved] = useState<TeamSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // What the stored settings hold that is not applied, until a save replaces them.
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const [share, setShare] = useState("30");
  const [tolerance, setTolerance] = useState("5");
  const [effectiveFrom, setEffectiveFrom] = useState(today());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  // The form as it was filled from the target in force, to tell an edit from a fresh form.
  const [formStart, setFormStart] = useState<string | null>(null);
  const [rulesDirty, setRulesDirty] = useState(false);
  // A back-dated declaration waiting for the person to confirm the periods it re-judges.
  const [pending, setPending] = useState<readonly RejudgedPeriod[] | null>(null);
  const formKey = JSON.stringify([share, tolerance, effectiveFrom, reason]);
  const declareDirty = formStart !== null && formKey !== formStart;
  const dirty =
    declareDirty ||
    rulesDirty ||
    (settings !== null && saved !== null && JSON.stringify(settings) !== JSON.stringify(saved));
  const boards = useLeaveGuard(dirty, allBoards);

  // The board whose answers the page takes: one picked meanwhile makes older answers stale.
  const shown = useRef<number | null>(null);
  const load = useCallback(async (id: number) => {
    shown.current = id;
    const [targets, current] = await Promise.all([
      callResolver("target/list", { boardId: id }),
      callResolver("settings/get", { boardId: id }),
    ]);
    if (shown.current !== id) return;
    if (!targets.ok) return setError(targets.message);
    if (!current.ok) return setError(current.message);
    setError(null);
    setHistory(targets.data.entries);
    // The form starts from the target in force, else the latest declared, else 30 ± 5.
    const start = entryInForce(targets.data.entries, today()) ?? targets.data.entries.at(-1);
    const startShare = start ? asPercent(start.investmentShare) : "30";
    const startTolerance = start ? asPercent(start.tolerance) : "5";
    setShare(startShare);
    setTolerance(startTolerance);
    setEffectiveFrom(today());
    setReason("");
    setPending(null);
    setFormStart(JSON.stringify([startShare, startTolerance, today(), ""]));
    const { warnings: problems = [], ...stored } = current.data;
    setWarnings(problems);
    setSettings(stored);
    setSaved(stored);
  }, []);

  useEffect(() => {
    if (boardId !== null) void load(boardId);
  }, [boardId, load]);

  const proposal = {
    investmentShare: Number(share) / 100,
    tolerance: Number(tolerance) / 100,
    effectiveFrom,
  };

  const declare = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (boardId === null) return;
    if (effectiveFrom < today()) {
      // Back-dated: say which closed periods it re-judges and ask before declaring it.
      setBusy(true);
      const impact = await callResolver("target/impact", { boardId, ...proposal });
      setBusy(false);
      if (!impact.ok) return setError(impact.message);
      if (impact.data.length > 0) return setPending(impact.data);
    }
    await append();
  };

  const append = async (): Promise<void> => {
    if (boardId === null) return;
    setPending(null);
    setBusy(true);
    const outcome = await callResolver("target/append", {
      boardId,
      investmentShare: Number(share) / 100,
      tolerance: Number(tolerance) / 100,
      effectiveFrom,
      reason,
      requestId: newRequestId(),
    });
    setBusy(false);
    if (!outcome.ok) return setError(outcome.message);
    setReason("");
    setNotice("Target declared.");
    await load(boardId);
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (boardId === null || !settings) return;
    setBusy(true);
    const outcome = await callResolver("settings/set", { boardId, settings });
    setBusy(false);
    if (!outcome.ok) return setError(outcome.message);
    setNotice("Settings saved.");
    await load(boardId);
  };

  const saveRules = async (rules: EditedRule[]): Promise<boolean> => {
    if (boardId === null || !saved) return false;
    setBusy(true);
    // The stored settings with only the rules replaced, so unsaved edits elsewhere stay unsaved.
    // An empty list is stored as such: it means the defaults even where a workspace file had rules.
    const next: TeamSettings = { ...saved, rules };
    const outcome = await callResolver("settings/set", { boardId, settings: next });
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.message);
      return false;
    }
    setError(null);
    setWarnings([]);
    setSaved(outcome.data);
    setSettings((draft) => draft && { ...draft, rules: outcome.data.rules });
    setNotice(rules.length > 0 ? "Rules saved." : "Rules reset: the default rules apply.");
    return true;
  };

  const inForce = history === null ? null : entryInForce(history, today());
  return (
    <main style={{ maxWidth: 880 }}>
      <h1>Capacity split settings</h1>
      <BoardPicker state={boards} />
      {(error ?? boards.error) && <ErrorMessage message={error ?? boards.error ?? ""} />}
      {warnings.map((warning) => (
        <div key={warning} className="message message-warning" role="alert">
          {warning}
        </div>
      ))}
      {notice && (
        <div className="message message-info" role="status">
          {notice}
        </div>
      )}
      <h2>Declare a target</h2>
      {/* Editable once it holds the target in force, so an answer arriving late never overwrites typing. */}
      <form
        onSubmit={(event) => void declare(event)}
        className="row"
        style={{ alignItems: "flex-end" }}
      >
        <label>
          Investment share (%)
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            required
            value={share}
            disabled={formStart === null}
            onChange={(e) => setShare(e.target.value)}
          />
        </label>
        <label>
          Tolerance (± %)
          <input
            type="number"
            min={0}
            max={50}
            step={1}
            required
            value={tolerance}
            disabled={formStart === null}
            onChange={(e) => setTolerance(e.target.value)}
          />
        </label>
        <label>
          Effective from
          <input
            type="date"
            required
            value={effectiveFrom}
            disabled={formStart === null}
            onChange={(e) => setEffectiveFrom(e.target.value)}
          />
        </label>
        <label style={{ flex: "1 1 240px" }}>
          Reason
          <input
            type="text"
            required
            maxLength={500}
            value={reason}
            disabled={formStart === null}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={busy || boardId === null || formStart === null}
        >
          Declare target
        </button>
      </form>
      {pending && (
        <SectionMessage
          appearance="warning"
          title="This target is dated before today"
          live
          testId="rejudge-confirm"
          actions={
            <>
              <Button appearance="primary" disabled={busy} onClick={() => void append()}>
                Declare and re-judge
              </Button>
              <Button onClick={() => setPending(null)}>Change the date</Button>
            </>
          }
        >
          From {effectiveFrom} it replaces the target of {describePeriods(pending)}: their flags and
          verdicts are judged against {formatShare(proposal.investmentShare)} ±{" "}
          {formatShare(proposal.tolerance)} from then on.
        </SectionMessage>
      )}
      <h2>History</h2>
      {history === null ? (
        <Loading what="the target history" />
      ) : history.length === 0 ? (
        <p className="subtle">No target declared yet.</p>
      ) : (
        <table data-testid="target-history" className="history">
          <thead>
            <tr>
              <th scope="col">Effective</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
              <th scope="col">Declared</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((entry) => (
              <tr
                key={`${entry.declaredAt}-${entry.effectiveFrom}-${entry.reason}`}
                aria-current={entry === inForce ? "true" : undefined}
              >
                <td>
                  {entry.effectiveFrom}{" "}
                  {entry === inForce ? (
                    <StatusLozenge appearance="success">In force</StatusLozenge>
                  ) : entry.effectiveFrom > today() ? (
                    <StatusLozenge appearance="inprogress">Scheduled</StatusLozenge>
                  ) : null}
                </td>
                <td>
                  {formatShare(entry.investmentShare)} ± {formatShare(entry.tolerance)}
                </td>
                <td>{entry.reason}</td>
                <td>
                  {entry.setBy}, {entry.declaredAt.slice(0, 16).replace("T", " ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Team settings</h2>
      {settings && (
        <form
          onSubmit={(event) => void save(event)}
          className="row"
          style={{ alignItems: "flex-end" }}
        >
          <label>
            Unit
            <select
              value={settings.unit ?? "points"}
              onChange={(e) =>
                setSettings({
                  ...settings,
                  unit: e.target.value === "issues" ? "issues" : "points",
                })
              }
            >
              <option value="points">Story points</option>
              <option value="issues">Issues</option>
            </select>
          </label>
          <label>
            Flags judge
            <select
              value={settings.actual ?? "delivered"}
              aria-describedby="actual-measure-help"
              onChange={(e) =>
                setSettings({
                  ...settings,
                  actual: e.target.value === "spent" ? "spent" : "delivered",
                })
              }
            >
              <option value="delivered">Delivered work</option>
              <option value="spent">Spent effort</option>
            </select>
            <span id="actual-measure-help" className="subtle">
              Delivered counts finished work in the team&apos;s unit; spent counts people&apos;s
              days on work in progress, from status and assignee history.
            </span>
          </label>
          <label>
            Roadmap label
            <input
              type="text"
              value={settings.labels?.roadmap ?? "capacity-roadmap"}
              onChange={(e) =>
                setSettings({
                  ...settings,
                  labels: {
                    investment: settings.labels?.investment ?? "capacity-investment",
                    roadmap: e.target.value,
                  },
                })
              }
            />
          </label>
          <label>
            Investment label
            <input
              type="text"
              value={settings.labels?.investment ?? "capacity-investment"}
              onChange={(e) =>
                setSettings({
                  ...settings,
                  labels: {
                    roadmap: settings.labels?.roadmap ?? "capacity-roadmap",
                    investment: e.target.value,
                  },
                })
              }
            />
          </label>
          <label>
            Fiscal year starts in
            <select
              value={settings.fiscalYearStartMonth ?? 1}
              onChange={(e) =>
                setSettings({ ...settings, fiscalYearStartMonth: Number(e.target.value) })
              }
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
                setSettings(withOptional(settings, "timezone", e.target.value || undefined))
              }
            >
              <option value="">The board&apos;s own</option>
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
              placeholder="1"
              value={settings.unestimatedWeight ?? ""}
              onChange={(e) =>
                setSettings(
                  withOptional(
                    settings,
                    "unestimatedWeight",
                    e.target.value === "" ? undefined : Number(e.target.value),
                  ),
                )
              }
            />
          </label>
          <button type="submit" disabled={busy}>
            Save settings
          </button>
        </form>
      )}
      {saved && boardId !== null && (
        <RulesEditor
          boardId={boardId}
          onSave={saveRules}
          busy={busy}
          onDirtyChange={setRulesDirty}
        />
      )}
    </main>
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

mountPage(<ProjectSettings />);
