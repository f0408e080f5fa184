/**
 * Project settings: declare a target, its whole history, and the team's unit, actual measure,
 * labels and fiscal year.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { TargetEntry, TeamSettings } from "../../../src/app/index";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, newRequestId } from "../../shared/client";
import { ErrorMessage, Loading, formatShare, mountPage } from "../../shared/ui";
import { RulesEditor, type EditedRule } from "./rules-editor";

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

function ProjectSettings(): ReactNode {
  const boards = useBoards();
  const boardId = boards.boardId;
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
    const { warnings: problems = [], ...stored } = current.data;
    setWarnings(problems);
    setSettings(stored);
    setSaved(stored);
  }, []);

  useEffect(() => {
    if (boardId !== null) void load(boardId);
  }, [boardId, load]);

  const declare = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (boardId === null) return;
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
            onChange={(e) => setTolerance(e.target.value)}
          />
        </label>
        <label>
          Effective from
          <input
            type="date"
            required
            value={effectiveFrom}
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
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || boardId === null}>
          Declare target
        </button>
      </form>
      <h2>History</h2>
      {history === null ? (
        <Loading what="the target history" />
      ) : history.length === 0 ? (
        <p className="subtle">No target declared yet.</p>
      ) : (
        <table data-testid="target-history">
          <thead>
            <tr>
              <th scope="col">Effective</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
              <th scope="col">Declared by</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((entry) => (
              <tr key={`${entry.declaredAt}-${entry.effectiveFrom}-${entry.reason}`}>
                <td>{entry.effectiveFrom}</td>
                <td>
                  {formatShare(entry.investmentShare)} ± {formatShare(entry.tolerance)}
                </td>
                <td>{entry.reason}</td>
                <td>{entry.setBy}</td>
                <td>{entry.declaredAt.slice(0, 16).replace("T", " ")}</td>
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
        <RulesEditor boardId={boardId} onSave={saveRules} busy={busy} />
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
