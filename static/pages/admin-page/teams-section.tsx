/** Which Linear teams the sync covers, and the switches that decide what it writes. */
import { useId, useReducer, type Dispatch, type FormEvent, type ReactNode } from "react";
import type { LinearConnectionView } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { ErrorMessage } from "../../shared/ui";
import { Help, SectionNote, type SectionProps } from "./section-parts";

export interface TeamsForm {
  readonly selected: readonly string[];
  readonly publish: boolean;
  readonly writeBack: boolean;
}

export type TeamsEdit =
  /** The connection as stored: the form starts over from it. */
  | { readonly type: "shown"; readonly view: LinearConnectionView }
  | { readonly type: "team"; readonly key: string; readonly chosen: boolean }
  | { readonly type: "publish"; readonly on: boolean }
  | { readonly type: "write-back"; readonly on: boolean };

function editTeams(form: TeamsForm, edit: TeamsEdit): TeamsForm {
  switch (edit.type) {
    case "shown":
      return {
        selected: edit.view.selectedTeams,
        publish: edit.view.publish,
        writeBack: edit.view.writeBack,
      };
    case "team":
      return {
        ...form,
        selected: edit.chosen
          ? [...form.selected, edit.key]
          : form.selected.filter((key) => key !== edit.key),
      };
    case "publish":
      return { ...form, publish: edit.on };
    case "write-back":
      return { ...form, writeBack: edit.on };
  }
}

/** The form's state lives with the page, so every connection the page is shown starts it over. */
export function useTeamsForm(): [TeamsForm, Dispatch<TeamsEdit>] {
  return useReducer(editTeams, { selected: [], publish: true, writeBack: false });
}

function isDirty(form: TeamsForm, view: LinearConnectionView | null): boolean {
  return (
    view !== null &&
    (form.publish !== view.publish ||
      form.writeBack !== view.writeBack ||
      form.selected.length !== view.selectedTeams.length ||
      form.selected.some((key) => !view.selectedTeams.includes(key)))
  );
}

export function TeamsSection({
  view,
  show,
  form,
  edit,
  actions,
}: SectionProps & {
  readonly form: TeamsForm;
  readonly edit: Dispatch<TeamsEdit>;
}): ReactNode {
  const ids = useId();
  const { busy, note, act } = actions;
  const { selected, publish, writeBack } = form;

  const save = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "save",
      "teams",
      () => callResolver("linear/settings", { teamKeys: selected, publish, writeBack }),
      (data) => {
        show(data);
        return data.selectedTeams.length === 0
          ? "Saved. No team is chosen, so nothing will sync."
          : `Saved. The sync covers ${data.selectedTeams.join(", ")}.`;
      },
    );
  };

  const loading = view === null;
  const connected = view?.connected ?? false;
  return (
    <section aria-labelledby={`${ids}-teams`}>
      <h2 id={`${ids}-teams`}>Teams and what the sync does</h2>
      <form onSubmit={save}>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600 }}>Teams to sync</legend>
          {loading ? (
            <p className="subtle">Loading the teams…</p>
          ) : !connected ? (
            <p className="subtle">Connect Linear to see the teams it can reach.</p>
          ) : view.teamsError !== null ? (
            <ErrorMessage message={view.teamsError} />
          ) : view.teams.length === 0 ? (
            <p className="subtle">The connection sees no teams.</p>
          ) : (
            <div className="row" style={{ margin: "4px 0" }}>
              {view.teams.map((team) => (
                <label key={team.key} style={{ flexDirection: "row", fontWeight: 400 }}>
                  <input
                    type="checkbox"
                    checked={selected.includes(team.key)}
                    onChange={(event) =>
                      edit({ type: "team", key: team.key, chosen: event.target.checked })
                    }
                  />
                  {team.name} ({team.key})
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <Toggle
          label="Publish reports inside Linear"
          checked={publish}
          disabled={loading}
          onChange={(on) => edit({ type: "publish", on })}
          help="Each synced team gets a project holding a living report document, updated on every sync, and one project update per closed cycle."
        />
        <Toggle
          label="Write categories back as labels"
          checked={writeBack}
          disabled={loading}
          onChange={(on) => edit({ type: "write-back", on })}
          help="Also labels issues whose category comes from a parent or a rule, so Linear's filters can use it. Never changes a label a person set. Off unless you turn it on."
        />
        <div className="row" style={{ marginTop: 8 }}>
          <button
            type="submit"
            className="primary"
            disabled={loading || !connected || busy !== null}
          >
            {busy === "save" ? "Saving…" : "Save"}
          </button>
          {isDirty(form, view) && <span className="subtle">Unsaved changes.</span>}
        </div>
      </form>
      <SectionNote note={note} section="teams" />
    </section>
  );
}

function Toggle({
  label,
  help,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  help: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}): ReactNode {
  const id = useId();
  return (
    <div style={{ margin: "8px 0" }}>
      <label style={{ flexDirection: "row", alignItems: "center" }}>
        <input
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={disabled}
          aria-describedby={id}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      <Help id={id}>{help}</Help>
    </div>
  );
}
