// The one table of the dashboard: a section's rows as the server formatted them, a caption, headers
// that sort (a button each, aria-sort says the order), a region that scrolls on its own with the first
// column kept in view, and the section's download menu, whose files follow the screen's sort. A long
// table shows its first ROWS_ON_SCREEN rows (in the current sort: the page holds every row, so sorting
// is over all of them) and a button for the rest: rendering 1,500 rows on every request was what made
// /market slow at scale 1. The server's HTML holds the first ROWS_IN_HTML of them (what the region shows
// before it is scrolled); the browser draws the others once the page is live.

import { useId, useMemo, useState } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { cellTexts, compareCells, ROWS_IN_HTML, type TableView } from "~/sections/table";
import { DownloadMenu } from "./download-menu";
import { useHydrated } from "./use-hydrated";

export interface DataTableProps {
  table: TableView;
  /** The table's title (its caption and the download's accessible name). */
  caption: string;
  locale: Locale;
  /** The page's query string: the download holds what the screen shows. */
  search: string;
  /** A sentence under the caption (a definition, what is left out). */
  note?: string;
  /** Whether the first column names the row (a header cell per row). */
  rowHeaders?: boolean;
}

type Sort = { index: number; dir: "asc" | "desc" } | null;

/** Rows drawn before the reader asks for the rest. */
export const ROWS_ON_SCREEN = 100;

/** Rows of them in the server's HTML (defined with the table's view, which sends their text). */
export { ROWS_IN_HTML };

export function DataTable({ table, caption, locale, search, note, rowHeaders = true }: DataTableProps) {
  const captionId = useId();
  const [sort, setSort] = useState<Sort>(null);
  const [all, setAll] = useState(false);
  const t = MESSAGES[locale].table;
  const rows = useMemo(() => {
    if (!sort) return table.rows;
    const sign = sort.dir === "asc" ? 1 : -1;
    return table.rows
      .map((row, i) => ({ row, i }))
      .sort((x, y) => {
        const a = x.row.values[sort.index] ?? null;
        const b = y.row.values[sort.index] ?? null;
        const nullsLast = a === null || b === null;
        return (nullsLast ? 1 : sign) * compareCells(a, b, locale) || x.i - y.i;
      })
      .map(({ row }) => row);
  }, [table.rows, sort, locale]);
  const live = useHydrated();
  const visible = all ? rows : rows.slice(0, live ? ROWS_ON_SCREEN : ROWS_IN_HTML);

  const toggle = (index: number) => {
    const numeric = table.columns[index]?.numeric ?? false;
    setSort((s) =>
      s?.index === index
        ? { index, dir: s.dir === "asc" ? "desc" : "asc" }
        : { index, dir: numeric ? "desc" : "asc" },
    );
  };

  const downloadSearch = useMemo(() => {
    const q = new URLSearchParams(search);
    const column = sort ? table.columns[sort.index] : undefined;
    if (sort && column) {
      q.set("sort", column.id);
      q.set("dir", sort.dir);
    }
    const s = q.toString().replaceAll("%2C", ",");
    return s ? `?${s}` : "";
  }, [search, sort, table.columns]);

  return (
    <div className="data-table-block" data-section={table.id}>
      <div className="data-table-block__head">
        <h3 id={captionId} className="data-table-block__title">
          {caption}
        </h3>
        <DownloadMenu view={table.id} search={downloadSearch} what={caption} locale={locale} />
      </div>
      {note ? <p className="chart__note">{note}</p> : null}
      {table.total > table.rows.length ? (
        <p className="footnote">{t.shown(table.rows.length, table.total)}</p>
      ) : null}
      {table.rows.length === 0 ? (
        <p className="empty-note">{t.empty}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
        <section className="table-wrap table-wrap--sticky" tabIndex={0} aria-labelledby={captionId}>
          <table className="data-table" data-table={table.id}>
            <thead>
              <tr>
                {table.columns.map((c, i) => {
                  const active = sort?.index === i;
                  return (
                    <th
                      key={c.id}
                      scope="col"
                      className={c.numeric ? "wrap" : "wrap data-table__text"}
                      aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                    >
                      <button type="button" className="sort-button" onClick={() => toggle(i)}>
                        {c.label}
                        <span aria-hidden="true" className="sort-button__mark">
                          {active ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                        </span>
                        <span className="visually-hidden">{t.sortBy}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {visible.map((row, r) => (
                // Rows have no id of their own; their position in the sorted list is stable for a render.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                <tr key={r} data-key={row.values[0] ?? ""}>
                  {cellTexts(table, row, locale).map((text, i) =>
                    i === 0 && rowHeaders ? (
                      <th key={table.columns[i]?.id} scope="row" data-col={table.columns[i]?.id}>
                        {text}
                      </th>
                    ) : (
                      <td
                        key={table.columns[i]?.id}
                        data-col={table.columns[i]?.id}
                        className={table.columns[i]?.numeric ? undefined : "data-table__text"}
                      >
                        {text}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!all && rows.length > ROWS_ON_SCREEN ? (
        <p className="data-table-block__more">
          <button type="button" onClick={() => setAll(true)}>
            {t.showAll(rows.length)}
          </button>
        </p>
      ) : null}
    </div>
  );
}
