/** The webhook URL and signing secret that wire Linear's events in. */
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { callResolver } from "../../shared/client";
import { FIELD, Help, SectionNote, type SectionProps } from "./section-parts";

export function WebhookSection({ view, show, actions }: SectionProps): ReactNode {
  const ids = useId();
  const { busy, note, act } = actions;
  const [secret, setSecret] = useState("");
  const [copied, setCopied] = useState<string | null>(null);
  const urlField = useRef<HTMLInputElement>(null);

  const saveSecret = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      "secret",
      "webhook",
      () => callResolver("linear/webhook-secret", { secret }),
      (data) => {
        setSecret("");
        show(data);
        return "Signing secret saved: webhooks signed with it are accepted from now on.";
      },
    );
  };

  const copyWebhookUrl = async (url: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Copied to the clipboard.");
    } catch {
      // Some hosts deny the clipboard to framed pages; selecting the text leaves one key press.
      urlField.current?.select();
      setCopied("The clipboard is not available here: the URL is selected, press Ctrl+C (⌘C).");
    }
  };

  const loading = view === null;
  return (
    <section aria-labelledby={`${ids}-webhook`}>
      <h2 id={`${ids}-webhook`}>Webhook</h2>
      {view !== null && view.webhookUrl === null ? (
        <p className="message message-warning">
          This host has no address Linear can reach, so changes arrive only with the scheduled and
          manual syncs.
        </p>
      ) : (
        <>
          <div className="row" style={{ alignItems: "flex-end" }}>
            <label style={{ flex: "1 1 420px" }}>
              Webhook URL
              <input
                ref={urlField}
                id={`${ids}-webhook-url`}
                type="text"
                readOnly
                style={FIELD}
                value={view?.webhookUrl ?? ""}
                placeholder={loading ? "Loading…" : ""}
                onFocus={(event) => event.target.select()}
              />
            </label>
            <button
              type="button"
              disabled={!view?.webhookUrl}
              onClick={() => {
                if (view?.webhookUrl) void copyWebhookUrl(view.webhookUrl);
              }}
            >
              Copy URL
            </button>
          </div>
          <p className="subtle" role="status" style={{ minHeight: 20, margin: "4px 0" }}>
            {copied}
          </p>
          <ol>
            <li>In Linear, open Settings › API › Webhooks and create a new webhook.</li>
            <li>Paste the URL above, and tick the Issue and Cycle events.</li>
            <li>Save it, then copy the signing secret Linear shows and save it here.</li>
          </ol>
        </>
      )}
      <form onSubmit={saveSecret} className="row" style={{ alignItems: "flex-end" }}>
        <label style={{ flex: "1 1 320px" }}>
          Webhook signing secret
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            style={FIELD}
            required
            value={secret}
            aria-describedby={`${ids}-secret-help`}
            disabled={loading}
            onChange={(event) => setSecret(event.target.value)}
          />
        </label>
        <button type="submit" disabled={loading || busy !== null}>
          {busy === "secret" ? "Saving…" : "Save secret"}
        </button>
      </form>
      <Help id={`${ids}-secret-help`}>
        {view?.webhookSecretSet
          ? "A signing secret is saved. Paste a new one to replace it."
          : "No signing secret saved yet: webhooks cannot be verified until one is."}
      </Help>
      <SectionNote note={note} section="webhook" />
    </section>
  );
}
