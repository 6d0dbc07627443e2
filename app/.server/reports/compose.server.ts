// A scheduled report's mail, from a saved view, for its subscriber's role and language.
//
// The mail holds:
//   - the headline figures: the overview's cards for the view's filters (value, comparison, change), or
//     the first rows of the page's first section for the product pages;
//   - the period, "orders through" and the snapshot, and whether the data is synthetic;
//   - a link back to the view, and the unsubscribe link;
//   - the view's downloads, attached in the format chosen.
// It is made through the dashboard's own machinery: the same tables as the downloads
// (exportTable, sectionTable), the same redaction for the role (redactTable), and the same encoders.
// What a role may not see is never in its mail.

import { canExport, canOpen, canSeeMetric, type Downloadable, type PageId, type Role } from "~/auth/policy";
import type { Cell } from "~/export/columns";
import type { Locale } from "~/i18n/locales";
import { REPORT_MESSAGES } from "~/i18n/reports";
import { formatChange, formatDate, formatMetricValue, formatTimestamp } from "~/lib/format";
import { METRICS, type MetricId, OVERVIEW_METRICS } from "~/metrics/catalogue";
import { difference, relativeChange } from "~/metrics/evaluate";
import { PAGE_SECTIONS, type SectionId } from "~/sections/registry";
import { presentTable } from "~/sections/table";
import type { Subscription } from "../auth/state.server";
import { type Download, parseExportRequest, prepareDownload, redactTable } from "../export/stream.server";
import { exportTable } from "../export/views.server";
import { BadRequest, readDimensions } from "../overview.server";
import { sectionTable } from "../sections/registry.server";
import type { Snapshot, Warehouse } from "../warehouse.server";
import { escapeHtml } from "./html.server";

/** The downloads a page's mail attaches (the order lines are far too large for a mail). */
const MAIL_DOWNLOADS: Record<Exclude<PageId, "admin">, readonly Downloadable[]> = {
  overview: ["kpis", "trend", "breakdown"],
  regions: ["breakdown", "region-trend"],
  profitability: ["profitability", "cost-centres"],
  ...PAGE_SECTIONS,
};

/** The pages whose address takes the overview's filters (their cards are the view's own). */
const OVERVIEW_GRAMMAR: readonly PageId[] = ["overview", "regions"];

export interface ReportMail {
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
  /** Downloads that could not be made for this view (named in the mail). */
  skipped: string[];
  snapshot: Snapshot;
}

async function collect(download: Download): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of download.body) parts.push(part);
  return Buffer.concat(parts);
}

interface Headline {
  caption: string;
  columns: string[];
  /** Right-aligned columns (figures). */
  numeric: boolean[];
  rows: string[][];
  period: string | null;
  comparison: string | null;
}

/** The overview's cards for the view's filters: value, comparison and change, for the metrics the role sees. */
async function cards(warehouse: Warehouse, url: URL, role: Role, locale: Locale): Promise<Headline | null> {
  const t = REPORT_MESSAGES[locale];
  const table = await exportTable(warehouse, "kpis", url, locale);
  if (!table) return null;
  const column = (id: string) => table.columns.findIndex((c) => c.id === id);
  const series = (which: string) => table.rows.find((r) => r[0] === which);
  const current = series("current");
  const before = series("comparison");
  const currency = String(current?.[column("currency")] ?? "EUR");
  const range = (row: Cell[] | undefined) =>
    row ? `${formatDate(String(row[1]), locale)} – ${formatDate(String(row[2]), locale)}` : null;
  const rows = OVERVIEW_METRICS.filter((m) => canSeeMetric(role, m)).map((id: MetricId) => {
    const unit = METRICS[id].unit;
    const now = current?.[column(id)];
    const then = before?.[column(id)];
    const shown = (v: Cell | undefined) =>
      typeof v === "number" ? formatMetricValue(v, unit, locale, currency) : "—";
    let change = "—";
    if (typeof now === "number" && typeof then === "number") {
      const relative = relativeChange(now, then);
      change =
        unit === "ratio"
          ? formatChange(difference(now, then, false), "points", locale)
          : relative === null
            ? "—"
            : formatChange(relative, "percent", locale);
    }
    return [METRICS[id].label[locale], shown(now), shown(then), change];
  });
  return {
    caption: t.headline,
    columns: [t.metric, t.value, t.before, t.change],
    numeric: [false, true, true, true],
    rows,
    period: range(current),
    comparison: range(before),
  };
}

/**
 * The first rows of a section as its page shows them (redacted for the role; `keep`: only those columns),
 * or null when the page has no data.
 */
async function sectionHeadline(
  warehouse: Warehouse,
  id: SectionId,
  url: URL,
  role: Role,
  locale: Locale,
  o: { caption: (total: number, shown: number) => string; limit: number; keep?: readonly string[] },
): Promise<Headline | null> {
  const table = await sectionTable(warehouse, id, url, locale);
  if (!table) return null;
  const shown = redactTable({ view: id, ...table }, role);
  const columns = table.columns.filter(
    (c) => shown.columns.includes(c) && (!o.keep || o.keep.includes(c.id)),
  );
  const rows = shown.rows.map((r) => columns.map((c) => r[shown.columns.indexOf(c)] as Cell));
  const view = presentTable(id, { ...table, columns, rows }, locale, o.limit);
  return {
    caption: o.caption(view.total, view.rows.length),
    columns: view.columns.map((c) => c.label),
    numeric: view.columns.map((c) => c.numeric),
    rows: view.rows.map((r) => r.text),
    period: `${formatDate(table.range.from, locale)} – ${formatDate(table.range.to, locale)}`,
    comparison: null,
  };
}

/** The figures a monthly report lists from the changes page ("what changed since the last publish"). */
const CHANGES_SHOWN = 15;
const CHANGES_COLUMNS = ["month", "country_code", "metric_id", "before", "after", "change", "what_changed"];

export async function composeReport(
  warehouse: Warehouse,
  sub: Subscription,
  options: { page: PageId; baseUrl: string; unsubscribeToken: string },
): Promise<ReportMail | null> {
  const locale: Locale = sub.locale === "fr-FR" ? "fr-FR" : "en-GB";
  const t = REPORT_MESSAGES[locale];
  const url = new URL(sub.path, "http://backlight.invalid");
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return null;
  const { snapshot } = dims;
  const page = options.page;
  if (page === "admin") return null;

  // The headline: the view's own cards where its address takes the overview's filters; otherwise the
  // company's cards for the default period, then the page's first table.
  const headlines: Headline[] = [];
  const ownCards = OVERVIEW_GRAMMAR.includes(page);
  const found = await cards(
    warehouse,
    ownCards ? url : new URL("http://backlight.invalid/"),
    sub.role,
    locale,
  ).catch((error: unknown) => {
    if (error instanceof BadRequest) return null;
    throw error;
  });
  if (found) headlines.push(found);
  const orNull = (error: unknown) => {
    if (error instanceof BadRequest) return null;
    throw error;
  };
  if (page in PAGE_SECTIONS) {
    const section = await sectionHeadline(
      warehouse,
      PAGE_SECTIONS[page as keyof typeof PAGE_SECTIONS][0],
      url,
      sub.role,
      locale,
      { caption: () => t.headline, limit: 10 },
    ).catch(orNull);
    if (section) headlines.push(section);
  }
  // A monthly report says which earlier figures the last publish restated (the changes page), for the
  // view's countries, when the role may open that page. Finance reconciles the month-end with it.
  let changes: Headline | null = null;
  if (sub.cadence === "monthly" && page !== "changes" && canOpen(sub.role, "changes")) {
    const asked = new URL("http://backlight.invalid/changes");
    for (const name of ["country", "region"])
      for (const value of url.searchParams.getAll(name)) asked.searchParams.append(name, value);
    changes = await sectionHeadline(warehouse, "changes-figures", asked, sub.role, locale, {
      caption: (total, shown) => t.changesCaption(total, shown),
      limit: CHANGES_SHOWN,
      keep: CHANGES_COLUMNS,
    }).catch(orNull);
  }

  // The attachments: each download of the page the role may have, in the format chosen.
  const attachments: ReportMail["attachments"] = [];
  const skipped: string[] = [];
  if (sub.format !== "none")
    for (const view of MAIL_DOWNLOADS[page].filter((v) => canExport(sub.role, v))) {
      const asked = new URL(url);
      asked.searchParams.set("format", sub.format);
      try {
        const request = parseExportRequest(view, asked, locale);
        const download = await prepareDownload(warehouse, request, sub.role);
        if (!download) continue;
        attachments.push({
          filename: download.filename,
          content: await collect(download),
          contentType: download.contentType,
        });
      } catch (error) {
        // A download this view's filters do not fit (another page's parameters): named, not attached.
        if (!(error instanceof BadRequest)) throw error;
        skipped.push(view);
      }
    }

  const link = `${options.baseUrl}${sub.path}`;
  const unsubscribe = `${options.baseUrl}/unsubscribe?t=${encodeURIComponent(options.unsubscribeToken)}`;
  const data = dims.result.data;
  const facts = [
    ...(headlines[0]?.period ? [t.period(headlines[0].period)] : []),
    ...(headlines[0]?.comparison ? [t.comparison(headlines[0].comparison)] : []),
    ...(data ? [t.ordersThrough(formatDate(data.to, locale))] : []),
    t.snapshot(snapshot.id, formatTimestamp(snapshot.createdAt, locale)),
  ];
  const cadence = t.cadences[sub.cadence];
  const cell = (value: string, numeric: boolean, header = false) =>
    `<${header ? "th" : "td"} style="padding:4px 10px;border-bottom:1px solid #d9dde4;text-align:${numeric ? "right" : "left"};font-variant-numeric:tabular-nums">${escapeHtml(value)}</${header ? "th" : "td"}>`;
  const renderTable = (h: Headline) => `<table style="border-collapse:collapse;margin:12px 0" role="table">
<caption style="text-align:left;font-weight:600;padding-bottom:4px">${escapeHtml(h.caption)}</caption>
<thead><tr>${h.columns.map((c, i) => cell(c, h.numeric[i] ?? false, true)).join("")}</tr></thead>
<tbody>${h.rows.map((r) => `<tr>${r.map((v, i) => cell(v, h.numeric[i] ?? false)).join("")}</tr>`).join("\n")}</tbody>
</table>`;
  const tables = headlines.map(renderTable).join("\n");
  const changesLink = `${options.baseUrl}/changes`;
  const changesHtml = !changes
    ? ""
    : changes.rows.length === 0
      ? `<p>${escapeHtml(t.noChanges)}</p>`
      : `${renderTable(changes)}\n<p><a href="${escapeHtml(changesLink)}">${escapeHtml(t.changesLink)}</a></p>`;
  const html = `<!DOCTYPE html>
<html lang="${locale === "fr-FR" ? "fr" : "en"}"><head><meta charset="utf-8"><title>${escapeHtml(t.subject(sub.viewName, sub.cadence))}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;max-width:760px">
<h1 style="font-size:20px">${escapeHtml(t.heading(sub.viewName))}</h1>
${snapshot.synthetic ? `<p style="display:inline-block;background:#fff4d6;border:1px solid #e0b000;border-radius:12px;padding:2px 10px"><strong>${escapeHtml(t.synthetic)}</strong></p>` : ""}
<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul>
${tables}
${changesHtml}
<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a></p>
${attachments.length > 0 ? `<p>${escapeHtml(t.attached(attachments.length))}</p>` : ""}
${skipped.map((s) => `<p>${escapeHtml(t.notAttached(s))}</p>`).join("")}
<p style="color:#5b6370;font-size:13px">${escapeHtml(t.why(cadence))} <a href="${escapeHtml(unsubscribe)}">${escapeHtml(t.unsubscribe)}</a></p>
</body></html>
`;
  const textTables = headlines
    .map((h) => [h.caption, ...h.rows.map((r) => r.join(" · "))].join("\n"))
    .join("\n\n");
  const text = [
    t.heading(sub.viewName),
    ...(snapshot.synthetic ? [t.synthetic] : []),
    ...facts,
    "",
    textTables,
    ...(!changes
      ? []
      : changes.rows.length === 0
        ? ["", t.noChanges]
        : [
            "",
            changes.caption,
            ...changes.rows.map((r) => r.join(" · ")),
            `${t.changesLink}: ${changesLink}`,
          ]),
    "",
    `${t.open}: ${link}`,
    ...(attachments.length > 0 ? [t.attached(attachments.length)] : []),
    ...skipped.map((s) => t.notAttached(s)),
    "",
    `${t.why(cadence)} ${t.unsubscribe}: ${unsubscribe}`,
  ].join("\n");
  return { subject: t.subject(sub.viewName, sub.cadence), html, text, attachments, skipped, snapshot };
}
