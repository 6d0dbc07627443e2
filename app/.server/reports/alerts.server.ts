// Alerts after each publish (issue 21, item 3): a rule watches one catalogue metric of a saved view (its
// filters and period, e.g. Europe, "Last whole month") against a threshold. Each rule is checked once per
// published snapshot, by the process that sends the reports (the same lease and claims, ADR 0023): the
// figure comes from the view's page exactly as it shows it (./watch.server: the overview's cards, the
// grades page's Premium promise, the price displays' totals, the publishing run's quarantine), the
// check is recorded with it, and a rule that fires mails its owner and is logged with the figure that
// fired it. /views shows each rule's last check, and a notice when some fired on the current data.

import { pageOfPath } from "~/auth/policy";
import type { Locale } from "~/i18n/locales";
import { REPORT_MESSAGES } from "~/i18n/reports";
import { formatDate, formatExact, formatTimestamp } from "~/lib/format";
import { CATALOGUE, isCatalogueId } from "~/metrics/catalogue";
import type { AlertRule } from "../auth/state.server";
import { escapeHtml } from "./html.server";
import type { SenderOptions } from "./sender.server";
import { canWatch, isWatchedPage, watchedFigure } from "./watch.server";

/** The rule in words, its threshold in the metric's unit, in the reader's language. */
export function describeRule(
  rule: Pick<AlertRule, "metric" | "viewName" | "op" | "threshold">,
  locale: Locale,
) {
  const r = REPORT_MESSAGES[locale];
  if (!isCatalogueId(rule.metric)) return rule.metric;
  const def = CATALOGUE[rule.metric];
  const condition = `${rule.op === "lt" ? r.below : r.above} ${formatExact(rule.threshold, def.unit, locale)}`;
  return r.rule(def.label[locale], rule.viewName, condition);
}

export const fires = (rule: Pick<AlertRule, "op" | "threshold">, value: number): boolean =>
  rule.op === "lt" ? value < rule.threshold : value > rule.threshold;

/** Checks every rule not yet checked on the current snapshot; mails those that fire. */
export async function checkAlerts(o: SenderOptions): Promise<{ checked: number; fired: number }> {
  const outcome = { checked: 0, fired: 0 };
  const status = await o.warehouse.status();
  if (status.state === "empty") return outcome;
  const snapshot = status.snapshot;
  for (const rule of await o.state.activeAlerts()) {
    const page = pageOfPath(rule.path);
    // A rule its owner's role may no longer evaluate is left alone (neither claimed nor sent).
    if (!isWatchedPage(page) || !isCatalogueId(rule.metric) || !canWatch(rule.role, page, rule.metric))
      continue;
    if (!(await o.state.claimAlertCheck(rule.id, snapshot.id))) continue;
    try {
      const found = await watchedFigure(o.warehouse, page, rule.metric, rule.path);
      const value = found?.value ?? null;
      if (value === null) {
        await o.state.finishAlertCheck(rule.id, snapshot.id, {
          status: "no_value",
          value: null,
          fired: false,
        });
        continue;
      }
      const fired = fires(rule, value);
      await o.state.finishAlertCheck(rule.id, snapshot.id, { status: "checked", value, fired });
      outcome.checked += 1;
      if (!fired) continue;
      outcome.fired += 1;
      const locale: Locale = rule.locale === "fr-FR" ? "fr-FR" : "en-GB";
      const r = REPORT_MESSAGES[locale];
      const def = CATALOGUE[rule.metric];
      const rule_ = describeRule(rule, locale);
      const shown = formatExact(value, def.unit, locale);
      const threshold = formatExact(rule.threshold, def.unit, locale);
      const link = `${o.baseUrl}${rule.path}`;
      const period =
        found?.from && found.to
          ? r.period(`${formatDate(found.from, locale)} – ${formatDate(found.to, locale)}`)
          : "";
      const facts = [period, r.snapshot(snapshot.id, formatTimestamp(snapshot.createdAt, locale))].filter(
        Boolean,
      );
      await o.transport.sendMail({
        from: o.from,
        to: rule.email,
        subject: r.alertSubject(rule_),
        text: [
          rule_,
          ...(snapshot.synthetic ? [r.synthetic] : []),
          r.alertBody(shown, threshold),
          ...facts,
          "",
          `${r.open}: ${link}`,
          `${r.manage}: ${o.baseUrl}/views`,
        ].join("\n"),
        html: `<!DOCTYPE html><html lang="${locale === "fr-FR" ? "fr" : "en"}"><head><meta charset="utf-8"></head>
<body style="font-family:system-ui,sans-serif;color:#1b1f24;max-width:760px">
<h1 style="font-size:20px">${escapeHtml(rule_)}</h1>
${snapshot.synthetic ? `<p><strong>${escapeHtml(r.synthetic)}</strong></p>` : ""}
<p style="font-size:18px">${escapeHtml(r.alertBody(shown, threshold))}</p>
<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul>
<p><a href="${escapeHtml(link)}">${escapeHtml(r.open)}</a> · <a href="${escapeHtml(`${o.baseUrl}/views`)}">${escapeHtml(r.manage)}</a></p>
</body></html>`,
      });
      await o.state.audit({
        event: "alert_fired",
        actor: rule.email,
        role: rule.role,
        ip: null,
        target: rule.path,
        detail: {
          alert: rule.id,
          metric: rule.metric,
          op: rule.op,
          threshold: rule.threshold,
          value,
          snapshot: snapshot.id,
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await o.state.finishAlertCheck(rule.id, snapshot.id, { status: "failed", value: null, fired: false });
      console.error(
        `backlight: alert ${rule.id} on snapshot ${snapshot.id} could not be checked: ${message}`,
      );
    }
  }
  return outcome;
}
