// Scheduled reports by e-mail (issue 21, item 2), end to end: the built server over the hand-written
// warehouse, a real SMTP server on loopback as the sink (smtp-server), mails read back with mailparser,
// their attachments with the French CSV reader and exceljs. A report made "a week ago" is due now, as
// one missed while no server ran: it arrives once, with the hand-worked December figures, its files
// and an unsubscribe link that works in one click. Not twice across a restart, nor across two replicas
// sharing the app state. The product user's mail holds no company-cost figure.

import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppState } from "~/.server/auth/state.server";
import type { Role } from "~/auth/policy";
import { parseCsv, readNumber } from "~/export/csv";
import { formatMetricValue } from "~/lib/format";
import { SCREENSHOTS } from "../helpers/browser";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { buildOverviewWarehouse, OVERVIEW_ANSWERS } from "../helpers/overview-fixture";
import { buildApp, freePort, type RunningServer, startServer } from "../helpers/server";

const DECEMBER = "/?from=2024-12-01&to=2024-12-31";
const WEEK_MS = 7 * 24 * 3600_000;

interface Sink {
  port: number;
  mails: ParsedMail[];
  close: () => Promise<void>;
}

async function startSink(): Promise<Sink> {
  const mails: ParsedMail[] = [];
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Posts /views forms as `role`, with the session's CSRF token read from the page. */
async function viewsPoster(server: RunningServer, role: Role) {
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await server.fetch("/views", {}, role)).text())?.[1];
  if (!csrf) throw new Error("no CSRF token");
  return (body: Record<string, string>) =>
    server.fetch(
      "/views",
      {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, ...body }),
      },
      role,
    );
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("scheduled reports by e-mail, through a real SMTP server", () => {
  let root: string | undefined;
  let dataDir = "";
  let stateDir = "";
  let sink: Sink | undefined;
  const servers: RunningServer[] = [];
  const secret = randomBytes(32).toString("base64url");

  const start = async () => {
    const server = await startServer({
      dataDir,
      stateDir,
      env: {
        BACKLIGHT_SMTP_URL: `smtp://127.0.0.1:${sink?.port}`,
        BACKLIGHT_REPORTS_TICK_MS: "300",
        BACKLIGHT_SESSION_SECRET: secret,
        BACKLIGHT_MAIL_FROM: "Backlight <reports@backlight.test>",
      },
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("reports-mail");
    dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    sink = await startSink();
    // One account per role, as the server tests seed them, in a state every server below shares.
    const first = await startServer({ dataDir });
    stateDir = join(root, "state");
    const { cpSync } = await import("node:fs");
    cpSync(first.stateDir, stateDir, { recursive: true });
    await first.stop();
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await sink?.close();
    await removeDir(root);
  });

  async function subscribe(server: RunningServer, role: Role, view: string, fields: Record<string, string>) {
    const post = await viewsPoster(server, role);
    const saved = await post({ name: view, path: DECEMBER, share: "" });
    expect(saved.status).toBe(302);
    const viewId = /saved=(\d+)/.exec(saved.headers.get("location") ?? "")?.[1] as string;
    const made = await post({ intent: "subscribe", view: viewId, ...fields });
    expect(made.status, await made.clone().text()).toBe(302);
    const id = Number(/subscribed=(\d+)/.exec(made.headers.get("location") ?? "")?.[1]);
    // Made a week ago: the report fell due while no server was running.
    const db = new Database(join(stateDir, "backlight.sqlite"));
    db.prepare("UPDATE report_subscriptions SET created_at = ? WHERE id = ?").run(
      Date.now() - WEEK_MS - 3600_000,
      id,
    );
    db.close();
    return id;
  }

  const mailsTo = (email: string) =>
    (sink?.mails ?? []).filter((m) => m.to && JSON.stringify(m.to).includes(email));

  it("mails a weekly report once, with the view's figures, its files and a one-click unsubscribe", async () => {
    const server = await start();
    await subscribe(server, "finance", "December, by e-mail", {
      cadence: "weekly",
      weekday: "1",
      time: "08:00",
      zone: "Europe/Paris",
      language: "fr-FR",
      format: "csv-excel-fr",
    });
    await until("the finance report", () => mailsTo("finance@backlight.test").length === 1);
    const [mail] = mailsTo("finance@backlight.test") as [ParsedMail];
    expect(mail.subject).toBe("Rapport Backlight hebdomadaire : December, by e-mail");
    expect(mail.from?.text).toContain("reports@backlight.test");
    const html = String(mail.html);
    // Kept for a look in a browser (the README's picture of a report mail comes from such a file).
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, "report-mail-fr.html"), html);
    // The headline figures of December, in French, beside November's.
    const d = OVERVIEW_ANSWERS.december;
    expect(html).toContain(formatMetricValue(d.gmv_eur, "eur", "fr-FR"));
    expect(html).toContain(formatMetricValue(OVERVIEW_ANSWERS.november.gmv_eur, "eur", "fr-FR"));
    expect(html).toContain(formatMetricValue(d.ebitda_eur, "eur", "fr-FR"));
    expect(html).toContain("Commandes jusqu’au");
    expect(html).toContain(`:${new URL(server.baseUrl).port}${DECEMBER.replaceAll("&", "&amp;")}"`);
    // The overview's downloads, in the French Excel dialect: the KPIs to the cent.
    const names = mail.attachments.map((a) => a.filename);
    expect(names.some((n) => n?.startsWith("backlight-kpis-"))).toBe(true);
    expect(names.some((n) => n?.startsWith("backlight-trend-"))).toBe(true);
    expect(names.some((n) => n?.startsWith("backlight-breakdown-"))).toBe(true);
    const kpis = mail.attachments.find((a) => a.filename?.startsWith("backlight-kpis-"));
    const text = kpis?.content.toString("utf8") ?? "";
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, , ...rows] = parseCsv(text.slice(1), "csv-excel-fr");
    const current = rows.find((r) => r[0] === "current") as string[];
    const at = (id: string) =>
      readNumber(current[(header as string[]).indexOf(id)] as string, "csv-excel-fr");
    expect(at("gmv_eur")).toBe(d.gmv_eur);
    expect(at("net_revenue_eur")).toBeCloseTo(d.net_revenue_eur, 2);
    expect(at("ebitda_eur")).toBeCloseTo(d.ebitda_eur, 2);

    // The unsubscribe link: a GET only asks; the mail service's one-click POST (no Origin, no
    // session) ends it; the link then says it is no longer valid.
    const link = /href="([^"]*\/unsubscribe\?t=[^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    if (!link) throw new Error("no unsubscribe link");
    const lines = mail.headerLines.map((h) => h.line.replace(/\r?\n\s+/g, " "));
    expect(lines).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(lines.find((l) => l.startsWith("List-Unsubscribe:"))).toContain("/unsubscribe?t=");
    const ask = await fetch(link);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Ne plus envoyer « December, by e-mail »");
    const stop = await fetch(link, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(stop.status).toBe(200);
    expect(await stop.text()).toContain("C’est fait : « December, by e-mail » ne vous sera plus envoyé.");
    expect(await (await fetch(link)).text()).toContain("This unsubscribe link is not valid any more");
    const state = await AppState.open(stateDir);
    const events = (await state.readAudit({ limit: 50 })).map((e) => e.event);
    await state.close();
    expect(events).toContain("report_sent");
    expect(events).toContain("report_unsubscribed");
  });

  it("gives the product user a report without company costs, in an Excel workbook", async () => {
    const server = servers[0] as RunningServer;
    await subscribe(server, "product", "December for product", {
      cadence: "daily",
      time: "07:30",
      zone: "America/New_York",
      language: "en-GB",
      format: "xlsx",
    });
    await until("the product report", () => mailsTo("product@backlight.test").length === 1);
    const [mail] = mailsTo("product@backlight.test") as [ParsedMail];
    const everything = [String(mail.html), mail.text ?? "", mail.subject ?? ""].join("\n");
    expect(everything).not.toMatch(/EBITDA|[Oo]perating costs|headcount/);
    expect(everything).toContain(formatMetricValue(OVERVIEW_ANSWERS.december.gmv_eur, "eur", "en-GB"));
    const workbook = mail.attachments.find((a) => a.filename?.startsWith("backlight-kpis-"));
    expect(workbook?.filename).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook?.content as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error("an empty workbook");
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    expect(headers.join(" ")).not.toMatch(/EBITDA|ebitda|opex|Operating costs/);
    const gmvColumn = headers.findIndex((h) => /^GMV/.test(h));
    expect(sheet.getRow(2).getCell(gmvColumn).value).toBe(OVERVIEW_ANSWERS.december.gmv_eur);
  });

  it("never sends a report twice: not after a restart, not from two replicas", async () => {
    const before = sink?.mails.length ?? 0;
    // A restart: the same state, a new process; its first check comes a second after it starts.
    await (servers.shift() as RunningServer).stop();
    const a = await start();
    await pause(2_500);
    expect(sink?.mails.length).toBe(before);
    // A second replica beside it, then a report due on both: one mail.
    const b = await start();
    await subscribe(b, "executive", "December for the board", {
      cadence: "monthly",
      day: "1",
      time: "06:00",
      zone: "Europe/Paris",
      language: "en-GB",
      format: "none",
    });
    await until("the executive report", () => mailsTo("executive@backlight.test").length >= 1);
    await pause(2_500);
    expect(mailsTo("executive@backlight.test")).toHaveLength(1);
    expect(sink?.mails.length).toBe(before + 1);
    expect(a.output() + b.output()).not.toMatch(/was not sent/);
  });

  it("checks alerts once per snapshot: a rule that fires mails its owner with the figure, one that does not stays quiet", async () => {
    const server = servers.at(-1) as RunningServer;
    const post = await viewsPoster(server, "finance");
    // Europe's last whole month: November 2024 (the data stops in December), France alone, from the first
    // order on the 10th: net revenue 15 + 30, fees 1 + 2, and 21 of November's 30 days of marketing (100)
    // and operating costs (1,000): 45 − 3 − 70 − 700 = EBITDA −728.00; GMV 300.
    const saved = await post({
      name: "Europe, last whole month",
      path: "/?range=last_month&region=europe",
      share: "",
    });
    const view = /saved=(\d+)/.exec(saved.headers.get("location") ?? "")?.[1] as string;
    const before = sink?.mails.length ?? 0;
    const loss = await post({ intent: "alert-add", view, metric: "ebitda_eur", op: "lt", threshold: "0" });
    expect(loss.status).toBe(302);
    const quiet = await post({ intent: "alert-add", view, metric: "gmv_eur", op: "gt", threshold: "1000" });
    expect(quiet.status).toBe(302);
    await until("the alert", () => (sink?.mails.length ?? 0) > before);
    await pause(1_500);
    const alerts = (sink?.mails ?? []).slice(before);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts as [ParsedMail];
    expect(alert.subject).toBe("Backlight alert: EBITDA of “Europe, last whole month” below €0.00");
    expect(alert.text).toContain("The figure is -€728.00; the alert's threshold is €0.00.");
    expect(alert.text).toContain("Period: 10 November 2024 – 30 November 2024");
    // The page says so; the audit log has the figure that fired it.
    const page = await (await server.fetch("/views", {}, "finance")).text();
    expect(page).toContain("1 alert fired on the current data.");
    expect(page).toContain("quiet: €300.00");
    const state = await AppState.open(stateDir);
    const fired = await state.readAudit({ limit: 100, event: "alert_fired" });
    await state.close();
    expect(fired).toHaveLength(1);
    expect(fired[0]?.detail).toMatchObject({ metric: "ebitda_eur", value: -728, threshold: 0, op: "lt" });
    // The product role cannot watch a company-cost figure.
    const asProduct = await viewsPoster(server, "product");
    const refused = await asProduct({
      intent: "alert-add",
      view,
      metric: "ebitda_eur",
      op: "lt",
      threshold: "0",
    });
    expect(refused.status).toBe(400);
  });

  it("watches the grades, price-display and changes pages too: Premium batteries, inflated prices, the quarantine", async () => {
    const server = servers.at(-1) as RunningServer;
    const post = await viewsPoster(server, "finance");
    const save = async (name: string, path: string) => {
      const saved = await post({ name, path, share: "" });
      expect(saved.status).toBe(302);
      return /saved=(\d+)/.exec(saved.headers.get("location") ?? "")?.[1] as string;
    };
    // December 2024's completed sales with a market price that day: the phone at 500.00 shown new against
    // 362.00 (38 % above), 300.00 (below), 400 USD × 0.95 = 380.00 (5 % above), and the laptop at 400 GBP ×
    // 1.20 = 480.00 against 400.00 (20 % above): over 25 %, 1 of 4 = 25.00 %.
    const prices = await save("December displays", "/pricing?from=2024-12&to=2024-12&threshold=25");
    // December's one Premium device had a 92 % battery: none under the promise.
    const grades = await save("December grades", "/quality?from=2024-12&to=2024-12");
    const changes = await save("Each publish", "/changes");
    const before = sink?.mails.length ?? 0;
    const rules = [
      { view: prices, metric: "inflated_display_share", op: "gt", threshold: "5" },
      { view: grades, metric: "premium_battery_breaches", op: "gt", threshold: "0" },
      { view: changes, metric: "quarantined_row_share", op: "gt", threshold: "1" },
    ];
    for (const rule of rules) {
      const made = await post({ intent: "alert-add", ...rule });
      expect(made.status, await made.clone().text()).toBe(302);
    }
    // A figure that the view's page does not show is refused with a sentence that says so.
    const wrong = await post({
      intent: "alert-add",
      view: grades,
      metric: "ebitda_eur",
      op: "lt",
      threshold: "0",
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That figure is not on the chosen view");

    await until("the price alert", () => (sink?.mails.length ?? 0) > before);
    await pause(1_500);
    const mails = (sink?.mails ?? []).slice(before);
    expect(mails.map((m) => m.subject)).toEqual([
      "Backlight alert: Share inflated of “December displays” above 5.00%",
    ]);
    expect(mails[0]?.text).toContain("The figure is 25.00%; the alert's threshold is 5.00%.");
    expect(mails[0]?.text).toContain("Period: 1 December 2024 – 31 December 2024");
    const page = await (await server.fetch("/views", {}, "finance")).text();
    expect(page).toContain("quiet: 0");
    expect(page).toContain("quiet: 0.00%");
    const state = await AppState.open(stateDir);
    const checks = (await state.readAudit({ limit: 100, event: "alert_fired" })).filter(
      (e) => (e.detail as { metric?: string }).metric === "inflated_display_share",
    );
    await state.close();
    expect(checks).toHaveLength(1);
    expect(checks[0]?.detail).toMatchObject({ value: 0.25, threshold: 0.05, op: "gt" });
    // The changes page shows the figure the quarantine rule watches: the publishing run's rows.
    const changesPage = await (await server.fetch("/changes", {}, "finance")).text();
    expect(changesPage).toMatch(
      /The run that published this snapshot read \d+ rows and set aside 0 \(0\.00%\)\./,
    );
  });
});
