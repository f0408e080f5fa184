/**
 * What every section of the admin page shares: one action runs at a time, and its outcome is a
 * note shown in the section the person acted in.
 */
import { useState, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import type { Outcome } from "../../shared/client";
import { ErrorMessage } from "../../shared/ui";

export type Section = "connection" | "webhook" | "teams" | "access" | "sync";
export type Action = "connect" | "oauth" | "disconnect" | "secret" | "save" | "access" | "sync";

export interface Note {
  readonly section: Section;
  readonly kind: "info" | "error";
  readonly text: string;
}

/** Labels are bold; what a person types or copies is not. */
export const FIELD = { fontWeight: 400 } as const;

export interface Actions {
  /** The action running, or null: while one runs, the others wait. */
  readonly busy: Action | null;
  readonly note: Note | null;
  readonly setNote: (note: Note | null) => void;
  /** Runs one action; what `done` says of its data becomes a note in `section`. */
  readonly act: <T>(
    action: Action,
    section: Section,
    run: () => Promise<Outcome<T>>,
    done: (data: T) => string | Omit<Note, "section">,
  ) => Promise<void>;
}

/** What a section that changes the connection is given. */
export interface SectionProps {
  /** Null while loading. */
  readonly view: LinearConnectionView | null;
  /** Shows the connection as stored after an action; the teams form starts over from it. */
  readonly show: (view: LinearConnectionView) => void;
  readonly actions: Actions;
}

export function useActions(): Actions {
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const act: Actions["act"] = async (action, section, run, done) => {
    setBusy(action);
    setNote(null);
    const outcome = await run();
    setBusy(null);
    if (!outcome.ok) return setNote({ section, kind: "error", text: outcome.message });
    const said = done(outcome.data);
    setNote({ section, ...(typeof said === "string" ? { kind: "info", text: said } : said) });
  };
  return { busy, note, setNote, act };
}

export function SectionNote({ note, section }: { note: Note | null; section: Section }): ReactNode {
  if (note === null || note.section !== section) return null;
  if (note.kind === "error") return <ErrorMessage message={note.text} />;
  return (
    <div className="message message-info" role="status">
      {note.text}
    </div>
  );
}

export function Help({ id, children }: { id: string; children: ReactNode }): ReactNode {
  return (
    <p id={id} className="subtle" style={{ margin: "2px 0 0", fontWeight: 400 }}>
      {children}
    </p>
  );
}
