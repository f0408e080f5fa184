/**
 * Project settings: declare a target and read its history, and the team's unit, actual measure,
 * labels and fiscal year, and its categorisation rules. Each is its own component; the page holds
 * what they share: the board, one call at a time, the page's messages, and unsaved edits: leaving
 * with them asks first where the browser lets it, and they are kept in the browser and offered
 * back on return, since Jira removes the page's frame without asking.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import * as z from "zod/mini";
import type { TargetEntry, TeamDefaults, TeamSettings } from "../../../src/app/index";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, type Outcome } from "../../shared/client";
import { DraftNotice, useKeptDraft } from "../../shared/kept-draft";
import { sameDraft, targetDraftSchema } from "../../shared/target-form";
import { ErrorMessage, mountPage } from "../../shared/ui";
import { useLeaveGuard } from "./leave-guard";
import { RulesEditor, rulesDraftSchema, type EditedRule, type RulesEdit } from "./rules-editor";
import { TargetSection, useDeclaration } from "./target-section";
import { TeamSettingsForm, formSettingsSchema, type FormSettings } from "./team-settings-form";
import "./settings.css";

/** The page's unsaved edits as kept between visits: only the parts that differ from what is saved. */
const settingsDraftSchema = z.strictObject({
  target: z.optional(targetDraftSchema),
  settings: z.optional(formSettingsSchema),
  rules: z.optional(rulesDraftSchema),
});
type SettingsDraft = z.infer<typeof settingsDraftSchema>;

/** JSON with every object's keys in order, so settings built in different orders compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, part: unknown) =>
    part !== null && typeof part === "object" && !Array.isArray(part)
      ? Object.fromEntries(Object.entries(part).sort(([a], [b]) => a.localeCompare(b)))
      : part,
  );
}

function withoutRules(settings: TeamSettings): FormSettings {
  const rest: TeamSettings = { ...settings };
  delete rest.rules;
  return rest;
}

function ProjectSettings(): ReactNode {
  const allBoards = useBoards();
  const boardId = allBoards.boardId;
  const [history, setHistory] = useState<readonly TargetEntry[] | null>(null);
  const [settings, setSettings] = useState<TeamSettings | null>(null);
  const [saved, setSaved] = useState<TeamSettings | null>(null);
  // The board the history and settings above were read for; the form's edits belong to it.
  const [loadedBoard, setLoadedBoard] = useState<number | null>(null);
  // What applies to each field the settings leave out, as the board's source answers it.
  const [defaults, setDefaults] = useState<TeamDefaults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeBox = useRef<HTMLDivElement>(null);
  // What the stored settings hold that is not applied, until a save replaces them.
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const declaration = useDeclaration();
  const { startFrom } = declaration;
  const [rulesEdit, setRulesEdit] = useState<RulesEdit | null>(null);
  const [restoredRules, setRestoredRules] = useState<readonly EditedRule[] | null>(null);
  const rules = rulesEdit?.boardId === loadedBoard ? rulesEdit : null;
  const rulesDirty =
    rules !== null && JSON.stringify(rules.rules) !== JSON.stringify(rules.inForce);
  const settingsDirty =
    settings !== null && saved !== null && canonical(settings) !== canonical(saved);
  const dirty = declaration.dirty || rulesDirty || settingsDirty;
  const boards = useLeaveGuard(dirty, allBoards);

  const edits: SettingsDraft = {
    ...(declaration.dirty ? { target: declaration.draft } : {}),
    ...(settingsDirty ? { settings: withoutRules(settings) } : {}),
    ...(rulesDirty ? { rules: [...rules.rules] } : {}),
  };
  const kept = useKeptDraft({
    form: loadedBoard === null ? null : `board:${loadedBoard}`,
    saved:
      history && saved && rules ? { history, settings: saved, rules: rules.inForce } : undefined,
    edits: dirty ? edits : null,
    schema: settingsDraftSchema,
    isSaved: (draft) =>
      (!draft.target ||
        (declaration.start !== null && sameDraft(draft.target, declaration.start))) &&
      (!draft.settings ||
        (saved !== null && canonical(draft.settings) === canonical(withoutRules(saved)))) &&
      (!draft.rules ||
        (rules !== null && JSON.stringify(draft.rules) === JSON.stringify(rules.inForce))),
  });
  const restore = (draft: SettingsDraft): void => {
    if (draft.target) declaration.edit(draft.target);
    if (draft.settings && saved) setSettings({ ...draft.settings, rules: saved.rules });
    if (draft.rules) setRestoredRules(draft.rules);
    setNotice("Your unsaved changes are back in the form: save them to keep them.");
  };

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
      const { warnings: problems = [], defaults: applied, ...stored } = current.data;
      setWarnings(problems);
      setDefaults(applied);
      setSettings(stored);
      setSaved(stored);
      setLoadedBoard(id);
    },
    [startFrom],
  );

  useEffect(() => {
    setRestoredRules(null);
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
      <DraftNotice state={kept} what="the saved settings" onRestore={restore} />
      <TargetSection
        boardId={boardId}
        history={history}
        declaration={declaration}
        busy={busy}
        call={call}
        onDeclared={declared}
      />
      <h2>Team settings</h2>
      {settings && defaults && (
        <TeamSettingsForm
          settings={settings}
          defaults={defaults}
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
          onRulesChange={setRulesEdit}
          restore={restoredRules}
        />
      )}
    </main>
  );
}

mountPage(<ProjectSettings />);
