// The console's shared pieces: one way to show a query's loading/error/empty states, one accessible dialog for
// every destructive or privilege-changing action (native <dialog>: focus moves in, Escape closes, focus returns),
// toasts with undo, and field messages next to their fields.
import type { UseQueryResult } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { errorInfo } from "./trpc.ts";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="c-muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  return (
    <p className="c-alert" role="alert">
      {errorInfo(error).message}
    </p>
  );
}

/** Loading, error and empty states for one query, the same on every console page. */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  /** What to say when there is nothing (a sentence, not "No data"). */
  empty?: string;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNote error={query.error} />;
  const data = query.data;
  const none = isEmpty ? isEmpty(data) : Array.isArray(data) && data.length === 0;
  if (none)
    return (
      <p className="c-empty" role="status">
        {empty ?? "Nothing here yet."}
      </p>
    );
  return <>{children(data)}</>;
}

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** A class for the column's cells (e.g. "c-nowrap"). */
  className?: string;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  rowClass?: (row: T) => string | undefined;
  /** data-* attributes of a row (flags the journeys and styles read, e.g. { overdue: true }). */
  rowData?: (row: T) => Record<string, boolean | string | undefined>;
  caption?: string;
}

/**
 * The console's one table: console classes, a scroll box of its own on narrow screens, and rows that j/k reach
 * and Enter opens (the row's first link; see useShortcuts in Console.tsx).
 */
export function DataTable<T>({ rows, columns, rowKey, rowTestId, rowClass, rowData, caption }: DataTableProps<T>) {
  return (
    <div className="c-table-wrap">
      <table className="c-table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const data = Object.fromEntries(
              Object.entries(rowData?.(row) ?? {})
                .filter(([, v]) => v !== undefined && v !== false)
                .map(([k, v]) => [`data-${k}`, v === true ? "true" : v]),
            );
            return (
              <tr
                key={rowKey(row)}
                data-testid={rowTestId}
                data-row
                tabIndex={-1}
                className={rowClass?.(row)}
                {...data}
              >
                {columns.map((c, i) => (
                  <td key={i} className={c.className}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------ list filters

/** A list's filters, applied as they change (nothing to submit): a search landmark named by `label`. */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form className="c-filters" role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      {children}
    </form>
  );
}

/** A list's text search, inside a `.c-filters` form: "/" focuses it (the `data-search` hook, Console.tsx). */
export function SearchField({
  id,
  placeholder,
  value,
  onChange,
}: {
  id: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className="c-field c-grow">
      <label htmlFor={id}>Search</label>
      <input
        id={id}
        type="search"
        data-search
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** One labelled choice of a `.c-filters` form; `any` names the empty value (no filter). */
export function FilterSelect({
  id,
  label,
  value,
  any,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  any: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) {
  return (
    <div className="c-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A list narrowed in place by its filters: the rows left, captioned "Showing n of total" while a filter hides any;
 * when none is left, says so and offers the way back to everything.
 */
export function FilteredTable<T>({
  total,
  noun,
  noMatch,
  ...table
}: Omit<DataTableProps<T>, "caption"> & {
  total: number;
  /** What the caption counts ("experts"); none for a bare number. */
  noun?: string;
  noMatch: { message: string; clearLabel: string; onClear: () => void };
}) {
  if (table.rows.length === 0)
    return (
      <div className="c-empty" role="status">
        <p>{noMatch.message}</p>
        <button type="button" className="c-link-button" onClick={noMatch.onClear}>
          {noMatch.clearLabel}
        </button>
      </div>
    );
  const caption =
    table.rows.length === total ? undefined : `Showing ${table.rows.length} of ${total}${noun ? ` ${noun}` : ""}`;
  return <DataTable {...table} caption={caption} />;
}

/** The message for one field, under the field, tied to it with aria-describedby by the caller. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="c-field-error">
      {message}
    </p>
  );
}

// ------------------------------------------------------------------------------------------------ dialog

export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="c-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {open ? children : null}
    </dialog>
  );
}

/**
 * Asks before a consequential action: names the consequence, needs an explicit confirm, and optionally a reason
 * and/or a fresh code from the authenticator app (role changes, deactivations).
 */
export function ConfirmDialog({
  open,
  title,
  consequence,
  confirmLabel,
  danger = true,
  needsCode = false,
  reasonLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  needsCode?: boolean;
  /** When set, a required reason field with this label. */
  reasonLabel?: string;
  busy?: boolean;
  error?: unknown;
  onConfirm: (input: { code: string; reason: string }) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState("");
  const [reason, setReason] = useState("");
  const codeId = useId();
  const reasonId = useId();
  useEffect(() => {
    if (open) {
      setCode("");
      setReason("");
    }
  }, [open]);
  const info = error ? errorInfo(error) : null;
  // Messages for fields this dialog does not show (e.g. a reason typed on the page) are said here, not lost.
  const shown = new Set([needsCode ? "code" : "", reasonLabel ? "reason" : ""]);
  const others = Object.entries(info?.fields ?? {})
    .filter(([field]) => !shown.has(field))
    .map(([, message]) => message);
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <form
        className="c-stack"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm({ code: code.trim(), reason: reason.trim() });
        }}
      >
        <div className="c-consequence">{consequence}</div>
        {reasonLabel ? (
          <div className="c-field">
            <label htmlFor={reasonId}>{reasonLabel}</label>
            <textarea
              id={reasonId}
              required
              rows={3}
              value={reason}
              aria-describedby={info?.fields.reason ? `${reasonId}-err` : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            <FieldError id={`${reasonId}-err`} message={info?.fields.reason} />
          </div>
        ) : null}
        {needsCode ? (
          <div className="c-field">
            <label htmlFor={codeId}>Code from your authenticator app</label>
            <input
              id={codeId}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              pattern="[0-9 ]{6,7}"
              value={code}
              aria-describedby={info?.fields.code ? `${codeId}-err` : undefined}
              onChange={(e) => setCode(e.target.value)}
            />
            <FieldError id={`${codeId}-err`} message={info?.fields.code} />
          </div>
        ) : null}
        {info && (others.length > 0 || Object.keys(info.fields).length === 0) ? (
          <p className="c-alert" role="alert">
            {others.length > 0 ? others.join(" ") : info.message}
          </p>
        ) : null}
        <div className="c-actions">
          <button type="button" className="c-button c-secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={danger ? "c-button c-danger" : "c-button"} disabled={busy}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ------------------------------------------------------------------------------------------------ toasts

interface Toast {
  id: number;
  text: string;
  undo?: () => void;
}
const ToastContext = createContext<(text: string, undo?: () => void) => void>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (text: string, undo?: () => void) => {
      const id = ++next.current;
      setToasts((t) => [...t.slice(-2), { id, text, undo }]);
      // Long enough to reach Undo with the keyboard; a toast with undo stays twice as long.
      setTimeout(() => dismiss(id), undo ? 20_000 : 8_000);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="c-toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="c-toast">
            <span>{t.text}</span>
            {t.undo ? (
              <button
                type="button"
                className="c-button c-secondary"
                onClick={() => {
                  dismiss(t.id);
                  t.undo?.();
                }}
              >
                Undo
              </button>
            ) : null}
            <button type="button" className="c-icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
