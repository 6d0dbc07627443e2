// Sends the scheduled reports that are due, and checks the alerts on each new snapshot: in the server (started by server.js when
// BACKLIGHT_SMTP_URL is set) or on its own (`npm run scheduler`). One process sends at a time, whichever
// holds the `reports` lease in the app state. Each due run is claimed in the app state before its mail
// is made, so it goes out once even across restarts, replicas and a scheduler running beside them. A run
// due while nothing was up goes out once when a sender comes back (schedule.server.ts). Every mail sent
// or failed is in the audit log.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import nodemailer, { type Transporter } from "nodemailer";
import { canOpen, pageOfPath } from "~/auth/policy";
import type { Gate } from "../auth/gate.server";
import type { AppState, Subscription } from "../auth/state.server";
import type { Warehouse } from "../warehouse.server";
import { checkAlerts } from "./alerts.server";
import { composeReport } from "./compose.server";
import { lastDue } from "./schedule.server";

/** How long the sender's lease lasts without renewal: another process takes over after it. */
const LEASE_MS = 2 * 60_000;

export interface SenderOptions {
  state: AppState;
  warehouse: Warehouse;
  transport: Pick<Transporter, "sendMail">;
  /** The dashboard's address as readers open it (links in the mail). */
  baseUrl: string;
  from: string;
  /** The unsubscribe link's secret of a subscription (Gate#unsubscribeToken). */
  tokenFor: (subscriptionId: number) => string;
  /** This process, in the lease and the claims. */
  holder: string;
  now?: () => Date;
}

export interface SendOutcome {
  sent: number;
  failed: number;
  /** Whether this process held the lease (another one sends otherwise). */
  leader: boolean;
  /** Alerts that fired (and were mailed) in this check. */
  alertsFired: number;
}

export const processHolder = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** The SMTP transport of BACKLIGHT_SMTP_URL (e.g. smtp://user:password@mail.example.com:587), or null. */
export function transportFromEnv(): Transporter | null {
  const url = process.env.BACKLIGHT_SMTP_URL;
  return url ? nodemailer.createTransport(url) : null;
}

export const mailFrom = (): string => process.env.BACKLIGHT_MAIL_FROM || "Backlight <backlight@localhost>";

export const publicBaseUrl = (): string =>
  (process.env.BACKLIGHT_PUBLIC_ORIGIN || `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, "");

/** Sends every report due now and not sent yet. */
export async function sendDueReports(o: SenderOptions): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: 0, failed: 0, leader: false, alertsFired: 0 };
  if (!(await o.state.acquireLease("reports", o.holder, LEASE_MS))) return outcome;
  outcome.leader = true;
  const now = (o.now ?? (() => new Date()))();
  for (const sub of await o.state.activeSubscriptions()) {
    const page = pageOfPath(sub.path);
    // A view whose page the subscriber's role can no longer open is not sent (nor claimed).
    if (!page || !canOpen(sub.role, page)) continue;
    const due = lastDue(sub, now);
    if (!due) continue;
    if (!(await o.state.claimSend(sub.id, due.getTime(), o.holder))) continue;
    // Still the sender? (a long mail may outlast the lease: renew it between mails)
    await o.state.acquireLease("reports", o.holder, LEASE_MS);
    const audit = { actor: sub.email, role: sub.role, ip: null, target: sub.path };
    try {
      await sendOne(o, sub, page, due);
      await o.state.finishSend(sub.id, due.getTime(), { sent: true });
      outcome.sent += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await o.state.finishSend(sub.id, due.getTime(), { sent: false, error: message });
      await o.state.audit({
        ...audit,
        event: "report_failed",
        detail: { subscription: sub.id, due: due.toISOString(), error: message.slice(0, 200) },
      });
      console.error(`backlight: report ${sub.id} due ${due.toISOString()} was not sent: ${message}`);
      outcome.failed += 1;
    }
  }
  // Alerts: each rule once per published snapshot, by the same sender.
  const alerts = await checkAlerts(o);
  outcome.alertsFired = alerts.fired;
  return outcome;
}

async function sendOne(
  o: SenderOptions,
  sub: Subscription,
  page: Exclude<ReturnType<typeof pageOfPath>, null>,
  due: Date,
): Promise<void> {
  const token = o.tokenFor(sub.id);
  const mail = await composeReport(o.warehouse, sub, { page, baseUrl: o.baseUrl, unsubscribeToken: token });
  if (!mail) throw new Error("no warehouse is published yet");
  const unsubscribe = `${o.baseUrl}/unsubscribe?t=${encodeURIComponent(token)}`;
  const info = await o.transport.sendMail({
    from: o.from,
    to: sub.email,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    attachments: mail.attachments,
    // RFC 2369 and RFC 8058: mail clients offer their own one-click unsubscribe.
    headers: {
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  });
  await o.state.audit({
    actor: sub.email,
    role: sub.role,
    ip: null,
    target: sub.path,
    event: "report_sent",
    detail: {
      subscription: sub.id,
      due: due.toISOString(),
      snapshot: mail.snapshot.id,
      attachments: mail.attachments.map((a) => a.filename),
      message_id: typeof info?.messageId === "string" ? info.messageId : null,
    },
  });
}

/**
 * The server's scheduler, when BACKLIGHT_SMTP_URL is set (null otherwise): reports leave from the
 * process holding the lease, with links to BACKLIGHT_PUBLIC_ORIGIN.
 */
export function startReportsFromEnv(gate: Gate, warehouse: Warehouse): (() => void) | null {
  const transport = transportFromEnv();
  if (!transport) return null;
  return startReportScheduler({
    state: gate.state,
    warehouse,
    transport,
    baseUrl: publicBaseUrl(),
    from: mailFrom(),
    tokenFor: (id) => gate.unsubscribeToken(id),
    holder: processHolder(),
  });
}

/**
 * Checks for due reports now and every `BACKLIGHT_REPORTS_TICK_MS` (default 30 s), one check at a time.
 * Returns a stop function. The timer does not keep the process alive.
 */
export function startReportScheduler(o: Omit<SenderOptions, "now">): () => Promise<void> {
  const tick = Number(process.env.BACKLIGHT_REPORTS_TICK_MS) || 30_000;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      await sendDueReports(o);
    } catch (error) {
      console.error("backlight: checking the scheduled reports failed", error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(check, 1_000);
  const timer = setInterval(check, tick);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    // Another process may take over at once instead of waiting for the lease to run out.
    await o.state.releaseLease("reports", o.holder).catch(() => {});
  };
}
