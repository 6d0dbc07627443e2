// npm run scheduler: sends the scheduled reports that are due (issue 21), apart from the server, e.g. on
// a machine of its own or as a cron job with --once. It reads the same app state and warehouse as the
// server (BACKLIGHT_STATE_DIR or <data dir>/state; BACKLIGHT_DATA_DIR) and needs the server's
// BACKLIGHT_SESSION_SECRET (the unsubscribe links are signed with it) and BACKLIGHT_SMTP_URL. With the
// server sending too, one of them sends at a time (a lease), and no report goes out twice.
//   --once               check once, print what was sent, and exit
//   --data-dir <dir>     the data directory (default BACKLIGHT_DATA_DIR or data/)

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { configFromEnv, Gate } from "~/.server/auth/gate.server";
import { stateDirectory } from "~/.server/auth/state.server";
import {
  mailFrom,
  processHolder,
  publicBaseUrl,
  sendDueReports,
  startReportScheduler,
  transportFromEnv,
} from "~/.server/reports/sender.server";
import { Warehouse } from "~/.server/warehouse.server";
import { runCli, UsageError } from "../core/cli.ts";

const USAGE = "usage: npm run scheduler -- [--once] [--data-dir <dir>]";

runCli(import.meta.url, USAGE, async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: "boolean", default: false }, "data-dir": { type: "string" } },
    strict: true,
  });
  if (!process.env.BACKLIGHT_SMTP_URL)
    throw new UsageError("BACKLIGHT_SMTP_URL is not set: where should the reports be sent from?");
  if (!process.env.BACKLIGHT_SESSION_SECRET)
    throw new UsageError(
      "BACKLIGHT_SESSION_SECRET is not set: use the server's, its unsubscribe links are signed with it",
    );
  const dataDir = resolve(values["data-dir"] ?? process.env.BACKLIGHT_DATA_DIR ?? "data");
  const gate = await Gate.open({ ...configFromEnv(), stateDir: stateDirectory(dataDir) });
  const warehouse = new Warehouse({ dataDir });
  const transport = transportFromEnv();
  if (!transport) throw new UsageError("BACKLIGHT_SMTP_URL is not set");
  const options = {
    state: gate.state,
    warehouse,
    transport,
    baseUrl: publicBaseUrl(),
    from: mailFrom(),
    tokenFor: (id: number) => gate.unsubscribeToken(id),
    holder: processHolder(),
  };
  if (values.once) {
    const outcome = await sendDueReports(options);
    console.log(
      outcome.leader
        ? `scheduler: ${outcome.sent} report(s) sent, ${outcome.failed} failed, ${outcome.alertsFired} alert(s) fired`
        : "scheduler: another process is sending the reports (its lease is current); nothing sent",
    );
    warehouse.close();
    await gate.state.close();
    return;
  }
  console.log("scheduler: sending scheduled reports as they fall due (Ctrl-C to stop)");
  const stop = startReportScheduler(options);
  // The scheduler's timer does not keep the process alive on its own: this does, until a signal.
  await new Promise<void>((done) => {
    const keep = setInterval(() => undefined, 1 << 30);
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => {
        clearInterval(keep);
        void stop().finally(() => gate.state.close().finally(done));
      });
  });
});
