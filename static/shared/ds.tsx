/**
 * Design primitives after the Atlassian Design System, drawn on its tokens (`tokens.css`, `ds.css`)
 * in light and dark: type scale, Button, Lozenge, SectionMessage, Table, EmptyState, Spinner,
 * LoadingState, ErrorState, ModalDialog and a live-region Announcer. Prop names follow ADS where it has one (`appearance`, `header`).
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type ElementType,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { sortByValue } from "../../src/render/index";
import "./tokens.css";
import "./ds.css";

const cx = (...names: readonly (string | false | null | undefined)[]): string =>
  names.filter(Boolean).join(" ");

// ---------------------------------------------------------------- type scale

export type HeadingSize = "large" | "medium" | "small" | "xsmall";
const HEADING_TAG: Readonly<Record<HeadingSize, ElementType>> = {
  large: "h1",
  medium: "h2",
  small: "h3",
  xsmall: "h4",
};

/** ADS heading: the size sets the look; `as` sets the level where the outline needs another one. */
export function Heading({
  size,
  as,
  id,
  children,
}: {
  size: HeadingSize;
  as?: "h1" | "h2" | "h3" | "h4" | "h5" | "h6";
  id?: string;
  children: ReactNode;
}): ReactNode {
  const Tag = as ?? HEADING_TAG[size];
  return (
    <Tag id={id} className={`ds-heading-${size}`}>
      {children}
    </Tag>
  );
}

/** Body text: `small` is ADS body.small; `subtle` and `subtlest` are its quieter text colours. */
export function Text({
  size = "medium",
  color,
  as = "span",
  children,
}: {
  size?: "medium" | "small";
  color?: "subtle" | "subtlest";
  as?: "span" | "p" | "div";
  children: ReactNode;
}): ReactNode {
  const Tag = as;
  return (
    <Tag
      className={cx(size === "small" ? "ds-text-small" : "ds-text", color && `ds-text-${color}`)}
    >
      {children}
    </Tag>
  );
}

/** Text for screen readers only. */
export function VisuallyHidden({ children }: { children: ReactNode }): ReactNode {
  return <span className="ds-visually-hidden">{children}</span>;
}

/**
 * A polite live region that is always in the page, so each new `message` is announced: screen
 * readers miss a region that appears together with its text. Empty says nothing.
 */
export function Announcer({ message, testId }: { message: string; testId?: string }): ReactNode {
  return (
    <div
      className="ds-visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid={testId}
    >
      {message}
    </div>
  );
}

// ---------------------------------------------------------------- spinner and button

export type SpinnerSize = "small" | "medium" | "large";

/** A turning ring; `label` is what assistive technology announces (ADS Spinner's `label`). */
export function Spinner({
  size = "medium",
  label,
}: {
  size?: SpinnerSize;
  label?: string;
}): ReactNode {
  return label ? (
    <span className={`ds-spinner ds-spinner-${size}`} role="img" aria-label={label} />
  ) : (
    <span className={`ds-spinner ds-spinner-${size}`} aria-hidden="true" />
  );
}

/**
 * ADS ProgressBar: how much of `max` is done, as a bar and as `role="progressbar"` with its value
 * and `valueText` ("50 of 120") for assistive technology.
 */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
}: {
  value: number;
  max: number;
  label: string;
  valueText: string;
}): ReactNode {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div
      className="ds-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
    >
      <div className="ds-progress-done" style={{ width: `${(share * 100).toFixed(2)}%` }} />
    </div>
  );
}

export type ButtonAppearance = "default" | "primary" | "subtle" | "danger";

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "className"> {
  appearance?: ButtonAppearance;
  /** Shows a spinner over the label, keeps the width, and takes no clicks until done. */
  loading?: boolean;
  spacing?: "default" | "compact";
}

/**
 * ADS Button. `type` defaults to "button" so a button inside a form never submits it by accident.
 * A disabled or loading button stays a real `<button>`, so it keeps its name for screen readers.
 */
export function Button({
  appearance = "default",
  loading = false,
  spacing = "default",
  disabled,
  type = "button",
  children,
  ...rest
}: ButtonProps): ReactNode {
  return (
    <button
      {...rest}
      type={type}
      className={cx(
        "ds-button",
        `ds-button-${appearance}`,
        spacing === "compact" && "ds-button-compact",
      )}
      disabled={disabled === true || loading}
      aria-busy={loading || undefined}
    >
      {loading && <Spinner size="small" />}
      <span className="ds-button-label">{children}</span>
    </button>
  );
}

// ---------------------------------------------------------------- lozenge

/** ADS Lozenge appearances: success (green), removed (red), moved (yellow), inprogress (blue), new (purple). */
export type LozengeAppearance = "default" | "success" | "removed" | "moved" | "inprogress" | "new";

/** A status in a few words; the words carry the meaning, the colour only repeats it. */
export function StatusLozenge({
  appearance = "default",
  bold = false,
  title,
  children,
}: {
  appearance?: LozengeAppearance;
  bold?: boolean;
  title?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <span
      className={cx("ds-lozenge", `ds-lozenge-${appearance}`, bold && "ds-lozenge-bold")}
      title={title}
    >
      {children}
    </span>
  );
}

// ---------------------------------------------------------------- section message

export type MessageAppearance = "info" | "warning" | "error" | "success" | "discovery";

const ICON_NAMES: Readonly<Record<MessageAppearance, string>> = {
  info: "Information",
  warning: "Warning",
  error: "Error",
  success: "Success",
  discovery: "Note",
};

/** The glyph paths of ADS's status icons (24 × 24), drawn in `currentColor`. */
const ICON_PATHS: Readonly<Record<MessageAppearance, string>> = {
  info: "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm0-11.3a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4ZM11 11a1 1 0 0 1 2 0v5a1 1 0 0 1-2 0v-5Z",
  warning:
    "M13.3 4.7a1.5 1.5 0 0 0-2.6 0l-7.5 13A1.5 1.5 0 0 0 4.5 20h15a1.5 1.5 0 0 0 1.3-2.3l-7.5-13ZM11 9a1 1 0 0 1 2 0v4a1 1 0 0 1-2 0V9Zm1 8.3a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4Z",
  error:
    "M8.7 4h6.6L20 8.7v6.6L15.3 20H8.7L4 15.3V8.7L8.7 4ZM11 8v5a1 1 0 0 0 2 0V8a1 1 0 0 0-2 0Zm1 9.3a1.2 1.2 0 1 0 0-2.4 1.2 1.2 0 0 0 0 2.4Z",
  success:
    "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm-1.7-5.1-2.6-2.6a1 1 0 0 0-1.4 1.4l3.3 3.3a1 1 0 0 0 1.4 0l5.7-5.7a1 1 0 0 0-1.4-1.4l-5 5Z",
  discovery:
    "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm-1-6.5V13c0-1 .6-1.5 1.2-2 .5-.3.8-.6.8-1a1 1 0 0 0-2 0 1 1 0 0 1-2 0 3 3 0 1 1 4.5 2.6c-.4.3-.5.4-.5.6v.3a1 1 0 0 1-2 0Zm1 4a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4Z",
};

/** An ADS status icon; `label` names it for screen readers, else it is decoration. */
export function StatusIcon({
  appearance,
  label,
}: {
  appearance: MessageAppearance;
  label?: string;
}): ReactNode {
  return (
    <svg
      className={`ds-icon ds-icon-${appearance}`}
      viewBox="0 0 24 24"
      role={label ? "img" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      <path fill="currentColor" fillRule="evenodd" d={ICON_PATHS[appearance]} />
    </svg>
  );
}

/**
 * ADS SectionMessage: icon, optional title, body and actions. The title is an `h2`, as in ADS's
 * own, so it never skips a heading level wherever the message sits. `live` makes it a live region that
 * is announced when it appears: `alert` for errors, `status` for the rest. Leave it off for
 * messages that are part of the page from the start (a list of flags is not an interruption).
 */
export function SectionMessage({
  appearance = "info",
  title,
  actions,
  live = false,
  testId,
  children,
}: {
  appearance?: MessageAppearance;
  title?: ReactNode;
  actions?: ReactNode;
  live?: boolean;
  testId?: string;
  children?: ReactNode;
}): ReactNode {
  const titleId = useId();
  const role = live ? (appearance === "error" ? "alert" : "status") : undefined;
  return (
    <section
      className={`ds-section-message ds-section-message-${appearance}`}
      role={role}
      aria-labelledby={title ? titleId : undefined}
      aria-label={title ? undefined : ICON_NAMES[appearance]}
      data-testid={testId}
    >
      <StatusIcon appearance={appearance} label={ICON_NAMES[appearance]} />
      <div className="ds-section-message-body">
        {title && (
          <h2 id={titleId} className="ds-heading-xsmall ds-section-message-title">
            {title}
          </h2>
        )}
        {children}
        {actions && <div className="ds-section-message-actions">{actions}</div>}
      </div>
    </section>
  );
}

// ---------------------------------------------------------------- empty, loading, error

/** ADS EmptyState: what is empty, why or what to do, and the one thing to do next. */
export function EmptyState({
  header,
  description,
  primaryAction,
  headingLevel = 3,
}: {
  header: ReactNode;
  description?: ReactNode;
  primaryAction?: ReactNode;
  headingLevel?: 2 | 3 | 4;
}): ReactNode {
  const Tag = `h${headingLevel}` as const;
  return (
    <div className="ds-empty-state">
      <Tag className="ds-heading-small">{header}</Tag>
      {description && <p>{description}</p>}
      {primaryAction}
    </div>
  );
}

/** Something is on its way: a spinner and, in words, what is loading. */
export function LoadingState({ what }: { what: string }): ReactNode {
  return (
    <div className="ds-loading-state" role="status" aria-live="polite" aria-busy="true">
      <Spinner size="medium" />
      <span>Loading {what}…</span>
    </div>
  );
}

/** Something failed: what went wrong in words a person can act on, and a retry where one helps. */
export function ErrorState({
  title = "Something went wrong",
  message,
  onRetry,
}: {
  title?: string;
  message: ReactNode;
  onRetry?: () => void;
}): ReactNode {
  return (
    <SectionMessage
      appearance="error"
      title={title}
      live
      actions={onRetry && <Button onClick={onRetry}>Try again</Button>}
    >
      {message}
    </SectionMessage>
  );
}

// ---------------------------------------------------------------- table

export type SortDirection = "ascending" | "descending";
export interface SortState {
  readonly key: string;
  readonly direction: SortDirection;
}

export interface Column<Row> {
  readonly key: string;
  readonly header: ReactNode;
  readonly cell: (row: Row) => ReactNode;
  /** Makes the column sortable by this value. */
  readonly sortValue?: (row: Row) => string | number;
  readonly align?: "start" | "end";
  readonly width?: number | string;
}

/** Rows in a column's order: numbers by value, text by the reader's collation, stable for ties. */
export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  sort: SortState | null,
): readonly Row[] {
  const column = sort && columns.find((candidate) => candidate.key === sort.key);
  const value = column?.sortValue;
  if (!sort || !value) return rows;
  return sortByValue(rows, value, sort.direction);
}

const ARROWS: Readonly<Record<SortDirection | "none", string>> = {
  ascending: "▲",
  descending: "▼",
  none: "↕",
};

/**
 * ADS DynamicTable, small: a header row whose sortable cells are buttons (with `aria-sort`), the
 * rows, and `empty` in place of rows when there are none. It sorts `rows` itself unless
 * `onSortChange` is given; then the caller owns `sort` and passes rows already in that order
 * (e.g. a page of a larger list).
 */
export function Table<Row>({
  columns,
  rows,
  rowKey,
  caption,
  empty,
  sort: sortProp,
  defaultSort = null,
  onSortChange,
  testId,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Names the table for screen readers; shown above it unless given as `{ text, hidden: true }`. */
  caption: string | { readonly text: string; readonly hidden: true };
  empty: ReactNode;
  sort?: SortState | null;
  defaultSort?: SortState | null;
  onSortChange?: (sort: SortState) => void;
  testId?: string;
}): ReactNode {
  const [ownSort, setOwnSort] = useState<SortState | null>(defaultSort);
  const controlled = onSortChange !== undefined;
  const sort = controlled ? (sortProp ?? null) : ownSort;
  const shown = controlled ? rows : sortRows(rows, columns, sort);
  const choose = (key: string): void => {
    const next: SortState = {
      key,
      direction: sort?.key === key && sort.direction === "ascending" ? "descending" : "ascending",
    };
    if (controlled) onSortChange(next);
    else setOwnSort(next);
  };
  const captionText = typeof caption === "string" ? caption : caption.text;
  return (
    <div className="ds-table-wrap">
      <table className="ds-table" data-testid={testId}>
        <caption className={typeof caption === "string" ? undefined : "ds-visually-hidden"}>
          {captionText}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const direction = sort?.key === column.key ? sort.direction : "none";
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.align === "end" ? "ds-align-end" : undefined}
                  style={column.width === undefined ? undefined : { width: column.width }}
                  aria-sort={column.sortValue ? direction : undefined}
                >
                  {column.sortValue ? (
                    <button
                      type="button"
                      className="ds-sort-button"
                      onClick={() => choose(column.key)}
                    >
                      {column.header}
                      <span aria-hidden="true">{ARROWS[direction]}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 ? (
            <tr className="ds-table-empty">
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : (
            shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td
                    key={column.key}
                    className={column.align === "end" ? "ds-align-end" : undefined}
                    data-label={typeof column.header === "string" ? column.header : undefined}
                  >
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------- modal dialog

/** What Tab stops at inside an element. */
const TAB_STOPS =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * ADS Modal on the native `<dialog>`: modal from the start (the page behind it inert), its title
 * naming it, Tab and Shift+Tab kept inside (Chromium otherwise lets focus leave for the browser's
 * own controls), closed by Escape or Close, and focus given back to what opened it.
 */
export function ModalDialog({
  title,
  onClose,
  className,
  testId,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  className?: string;
  testId?: string;
  children: ReactNode;
}): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const opener = document.activeElement;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if ((opener instanceof HTMLElement || opener instanceof SVGElement) && opener.isConnected) {
        opener.focus();
      }
    };
  }, []);

  const keepFocusInside = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.key !== "Tab") return;
    const stops = [...event.currentTarget.querySelectorAll<HTMLElement>(TAB_STOPS)];
    const first = stops[0];
    const last = stops.at(-1);
    if (!first || !last) return;
    const at = document.activeElement;
    if (event.shiftKey && (at === first || at === event.currentTarget)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && at === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      className={cx("ds-modal", className)}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onKeyDown={keepFocusInside}
    >
      <header className="ds-modal-header">
        <h2 id={titleId} className="ds-heading-medium">
          {title}
        </h2>
        <Button appearance="subtle" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </header>
      {children}
    </dialog>
  );
}
