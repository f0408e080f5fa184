/**
 * Project settings: declare a target and read its history, and the team's unit, actual measure,
 * labels and fiscal year, and its categorisation rules. Each is its own component; the page holds
 * what they share: the board, one call at a time, the page's messages, and the unsaved-edits guard
 * (leaving with unsaved edits asks first).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { TargetEntry, TeamSettings } from "../../../src/app/index";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, type Outcome } from "../../shared/client";
import { ErrorMessage, mountPage } from "../../shared/ui";
import { useLeaveGuard } from "./leave-guard";
import { RulesEditor, type EditedRule } from "./rules-editor";
import { TargetSection, useDeclaration } from "./target-section";
import { TeamSettingsForm } from "./team-settings-form";
import "./settings.css";

function ProjectSettings(): ReactNode {
  const allBoards = useBoards();
  const boardId = allBoards.boardId;
  const [history, setHistory] = useState<readonly TargetEntry[] | null>(null);
  const [settings, setSettings] = useState<TeamSettings | null>(null);
  const [saved, setSaved] = useState<TeamSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeBox = useRef<HTMLDivElement>(null);
  // What the stored settings hold that is not applied, until a save replaces them.
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const declaration = useDeclaration();
  const { startFrom } = declaration;
  const [rulesDirty, setRulesDirty] = useState(false);
  const dirty =
    declaration.dirty ||
    rulesDirty ||
    (settings !== null && saved !== null && JSON.stringify(settings) !== JSON.stringify(saved));
  const boards = useLeaveGuard(dirty, allBoards);

  // The board whose answers the page takes: one picked meanwhile makes older answers stale.
  const shown = useRef<number | null>(null);
  const load = useCallback(
    async (id: number) => {
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
      startFrom(targets.data.entries);
      const { warnings: problems = [], ...stored } = current.data;
      setWarnings(problems);
      setSettings(stored);
      setSaved(stored);
    },
    [startFrom],
  );

  useEffect(() => {
    if (boardId !== null) void load(boardId);
  }, [boardId, load]);

  const call = async <T,>(request: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    setBusy(true);
    const outcome = await request();
    setBusy(false);
    if (!outcome.ok) setError(outcome.message);
    return outcome;
  };

  const declared = async (): Promise<void> => {
    setNotice("Target declared.");
    // The confirmation that had the focus is gone: the focus goes to what happened.
    noticeBox.current?.focus();
    if (boardId !== null) await load(boardId);
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (boardId === null || !settings) return;
    const outcome = await call(() => callResolver("settings/set", { boardId, settings }));
    if (!outcome.ok) return;
    setNotice("Settings saved.");
    await load(boardId);
  };

  const saveRules = async (rules: EditedRule[]): Promise<boolean> => {
    if (boardId === null || !saved) return false;
    // The stored settings with only the rules replaced, so unsaved edits elsewhere stay unsaved.
    // An empty list is stored as such: it means the defaults even where a workspace file had rules.
    const next: TeamSettings = { ...saved, rules };
    const outcome = await call(() => callResolver("settings/set", { boardId, settings: next }));
    if (!outcome.ok) return false;
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
      {/* Always present, so a screen reader announces each notice as it changes. */}
      <div
        ref={noticeBox}
        className={notice ? "message message-info" : undefined}
        role="status"
        tabIndex={-1}
        data-testid="settings-notice"
      >
        {notice}
      </div>
      <TargetSection
        boardId={boardId}
        history={history}
        declaration={declaration}
        busy={busy}
        call={call}
        onDeclared={declared}
      />
      <h2>Team settings</h2>
      {settings && (
        <TeamSettingsForm
          settings={settings}
          onChange={setSettings}
          busy={busy}
          onSubmit={(event) => void save(event)}
        />
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

mountPage(<ProjectSettings />);
