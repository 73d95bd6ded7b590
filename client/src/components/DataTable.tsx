import { Fragment, useState, type HTMLAttributes, type Key, type ReactNode } from 'react';
import type { Page } from '@zdec/shared';
import { Pager } from './ui';

/** `data-*` attributes a row or cell carries for the browser tests (`data-id`, `data-status` …). */
export type DataAttributes = { [name: `data-${string}`]: string | number | undefined };

/** One column of a {@link DataTable}: what its header says and how a row fills its cell. */
export interface Column<T> {
  /** React key of the column; the header text usually serves when it is a string. */
  key?: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The cell's class (`num`, `code` …), or one worked out from the row. */
  className?: string | ((row: T) => string | undefined);
  /** The header's class, when it differs from the cells' (or they have none). */
  headClassName?: string;
  /** `data-testid` (and any other `data-*`) of the cell. */
  cellProps?: (row: T) => DataAttributes & { title?: string };
  testId?: string;
  /** The cell is the row's header (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Left out when false: a column only some roles see. */
  shown?: boolean;
}

interface DataTableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  rowProps?: (row: T) => DataAttributes & Pick<HTMLAttributes<HTMLTableRowElement>, 'className'>;
  expand?: (row: T) => ReactNode;
  testId?: string;
  dense?: boolean;
  caption?: ReactNode;
  /** A header of its own (grouped columns); the columns' headers are then not used. */
  head?: ReactNode;
  /** Header cells say `scope="col"` (the default); a few older tables have bare `<th>`s. */
  headScope?: boolean;
  empty?: ReactNode;
  /** What stands under the table, inside its wrapper (a link acting on chosen rows). */
  footer?: ReactNode;
}

/**
 * A table declared as columns. Rows keep the `data-*` attributes `rowProps` gives them; `expand` adds a
 * full-width row under one (an inline form). With no rows it shows `empty` when given, else an empty body.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowProps,
  expand,
  testId,
  dense,
  caption,
  head,
  headScope = true,
  empty,
  footer,
}: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const shown = columns.filter((c) => c.shown !== false);
  const keyOf = (c: Column<T>, i: number) => c.key ?? (typeof c.header === 'string' ? c.header : i);
  return (
    <div className="table-wrap">
      <table className={dense ? 'table table--dense' : 'table'} data-testid={testId}>
        {caption}
        <thead>
          {head ?? (
            <tr>
              {shown.map((c, i) => (
                <th key={keyOf(c, i)} scope={headScope ? 'col' : undefined} className={c.headClassName}>
                  {c.header}
                </th>
              ))}
            </tr>
          )}
        </thead>
        <tbody>
          {rows.map((row) => {
            const extra = expand?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <tr {...rowProps?.(row)}>
                  {shown.map((c, i) => {
                    const Cell = c.rowHeader ? 'th' : 'td';
                    return (
                      <Cell
                        key={keyOf(c, i)}
                        scope={c.rowHeader ? 'row' : undefined}
                        className={typeof c.className === 'function' ? c.className(row) : c.className}
                        data-testid={c.testId}
                        {...c.cellProps?.(row)}
                      >
                        {c.cell(row)}
                      </Cell>
                    );
                  })}
                </tr>
                {extra && (
                  <tr className="table__expand">
                    <td colSpan={shown.length}>{extra}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {footer}
    </div>
  );
}

/** One page of a list as a table, with the pager under it. */
export function PagedTable<T>({
  data,
  onPage,
  ...table
}: Omit<DataTableProps<T>, 'rows'> & { data: Page<T>; onPage: (page: number) => void }) {
  return (
    <>
      <DataTable rows={data.items} {...table} />
      <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={onPage} />
    </>
  );
}

/**
 * Which row has an inline form open, and for which action: at most one at a time. `toggle` renders a
 * row's small button that opens that form (or closes it when open).
 */
export function useRowAction<A extends string>() {
  const [open, setOpen] = useState<{ id: string; action: A } | null>(null);
  const close = () => setOpen(null);
  const openFor = (id: string): A | undefined => (open?.id === id ? open.action : undefined);
  function toggle(id: string, action: A, label: string, tone: string, testId: string) {
    const expanded = open?.id === id && open.action === action;
    return (
      <button
        type="button"
        className={`btn ${tone} btn--small`}
        aria-expanded={expanded}
        onClick={() => setOpen(expanded ? null : { id, action })}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return { openFor, close, toggle };
}
