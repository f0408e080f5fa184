/** Pieces every page shares: the lozenge, provenance in words, the split bar, flags, messages. */
import { router } from "@forge/bridge";
import { StrictMode, type MouseEvent, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import {
  type Flag,
  formatPercent,
  type ItemCategory,
  type Split,
  type TargetRef,
} from "../../src/domain/index";
import type { ItemView } from "./client";
import { enableTheme } from "./client";
import { Button, LoadingState, SectionMessage } from "./ds";
import "./tokens.css";
import "./ds.css";

export const CATEGORY_NAMES: Readonly<Record<ItemCategory, string>> = {
  roadmap: "Roadmap",
  investment: "Investment",
  unclassified: "Unclassified",
};

export function mountPage(page: ReactNode): void {
  enableTheme();
  const root = document.getElementById("root");
  if (!root) throw new Error("The page's HTML has no #root element.");
  createRoot(root).render(<StrictMode>{page}</StrictMode>);
}

/** The category in words as well as colour, so colour is never the only signal. */
export function Lozenge({ category }: { category: ItemCategory }): ReactNode {
  return <span className={`lozenge lozenge-${category}`}>{CATEGORY_NAMES[category]}</span>;
}

/** "Investment — inherited from PAY-12", "Roadmap — rule: type is Story", SPEC §3's order. */
export function describeProvenance(item: ItemView["item"]): string {
  const name = CATEGORY_NAMES[item.category];
  switch (item.source) {
    case "explicit":
      return `${name} — set on this issue`;
    case "conflict":
      return `${name} — both labels set; remove one`;
    case "inherited":
      return `${name} — inherited from ${item.via ?? "a parent"}`;
    case "rule":
      return `${name} — rule: ${item.ruleText ?? "a team rule"}`;
    case "none":
      return `${name} — no label, parent or rule decides it yet`;
  }
}

/** Shares as every report format and flag message prints them. */
export const formatShare = formatPercent;

/** `2026-11-24 08:31 UTC` from an ISO instant: when something happened, for reading. */
export function formatUtcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

export function ErrorMessage({ message }: { message: string }): ReactNode {
  return (
    <SectionMessage appearance="error" live>
      {message}
    </SectionMessage>
  );
}

export function Loading({ what }: { what: string }): ReactNode {
  return <LoadingState what={what} />;
}

/** A flag's severity as the pages name it. */
export const SEVERITY_WORDS = { info: "Note", warning: "Warning", critical: "Critical" } as const;

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Flags, worst first; within a severity, as the report lists them. */
export function sortBySeverity<T extends { readonly flag: Flag }>(flags: readonly T[]): T[] {
  return [...flags].sort((a, b) => SEVERITY_RANK[a.flag.severity] - SEVERITY_RANK[b.flag.severity]);
}

/**
 * Flags with their severity in words. `open`, where given, answers the click that shows a flag's
 * issues, or null for a flag no issue is behind (one about the target).
 */
export function FlagList({
  flags,
  empty,
  open,
}: {
  flags: readonly Flag[];
  empty: string;
  open?: (flag: Flag) => (() => void) | null;
}): ReactNode {
  if (flags.length === 0) return <p className="subtle">{empty}</p>;
  return (
    <ul className="flags" style={{ listStyle: "none", padding: 0 }}>
      {flags.map((flag, index) => (
        <li
          key={`${flag.code}-${flag.period.id}-${index}`}
          className={`message message-${flag.severity}`}
          data-code={flag.code}
          data-severity={flag.severity}
          data-period={flag.period.id}
        >
          <strong>{SEVERITY_WORDS[flag.severity]}:</strong>{" "}
          <span className="flag-message">{flag.message}</span>
          <FlagOpener onOpen={open?.(flag) ?? null} />
        </li>
      ))}
    </ul>
  );
}

function FlagOpener({ onOpen }: { onOpen: (() => void) | null }): ReactNode {
  if (onOpen === null) return null;
  return (
    <>
      {" "}
      <Button spacing="compact" onClick={onOpen}>
        Show the issues
      </Button>
    </>
  );
}

/** One split as a horizontal bar with the target band, and the same numbers as text beside it. */
export function SplitBar({
  split,
  target,
  label,
}: {
  split: Split;
  target: TargetRef | null;
  label: string;
}): ReactNode {
  const total = split.roadmap + split.investment + split.unclassified;
  const share = (value: number): number => (total === 0 ? 0 : value / total);
  const pct = (value: number): string => `${(share(value) * 100).toFixed(1)}%`;
  const text =
    total === 0
      ? `${label}: nothing yet`
      : `${label}: investment ${formatShare(share(split.investment))}, roadmap ${formatShare(
          share(split.roadmap),
        )}, unclassified ${formatShare(share(split.unclassified))}`;
  return (
    <figure style={{ margin: "8px 0" }}>
      <div className="bar" role="img" aria-label={text}>
        <div className="bar-investment" style={{ width: pct(split.investment) }} />
        <div className="bar-unclassified" style={{ width: pct(split.unclassified) }} />
        <div className="bar-roadmap" style={{ width: pct(split.roadmap) }} />
        {target && <TargetBand target={target} />}
      </div>
      <figcaption className="subtle">
        {text}
        {targetCaption(target)}
      </figcaption>
    </figure>
  );
}

/** The target band drawn over a split bar: t ± tol on the investment share's scale. */
export function TargetBand({ target }: { target: TargetRef }): ReactNode {
  return (
    <div
      className="band"
      title={`Target ${formatShare(target.investmentShare)} ± ${formatShare(target.tolerance)}`}
      style={{
        left: `${Math.max(0, target.investmentShare - target.tolerance) * 100}%`,
        width: `${Math.min(1, target.tolerance * 2) * 100}%`,
      }}
    />
  );
}

/** The words after a split bar's caption that name its target, or say there is none. */
export function targetCaption(target: TargetRef | null): string {
  return target
    ? ` · target ${formatShare(target.investmentShare)} ± ${formatShare(target.tolerance)}`
    : " · no target declared";
}

/**
 * An issue key that opens the issue: inside Jira through the host's router (a Custom UI frame
 * cannot follow a link to the site itself), on the self-hosted server at `/browse/KEY`, which
 * leads to its issue view. A modified click (new tab) opens it in a new tab in both.
 */
export function IssueLink({ issueKey }: { issueKey: string }): ReactNode {
  const href = `/browse/${encodeURIComponent(issueKey)}`;
  const follow = (event: MouseEvent<HTMLAnchorElement>): void => {
    event.preventDefault();
    const location = { target: "issue", issueKey } as const;
    const newTab = event.metaKey || event.ctrlKey || event.shiftKey || event.button === 1;
    void (newTab ? router.open(location) : router.navigate(location)).catch(() => undefined);
  };
  return (
    <a href={href} onClick={follow} onAuxClick={follow} className="issue-key">
      {issueKey}
    </a>
  );
}
