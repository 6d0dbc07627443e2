// GET /export/<view>?<the view's filters>&format=csv|csv-excel-fr|csv-excel-en|parquet|arrow[&labels=1]
// A download of a dashboard view (or the order-item ledger) with the filters of its page: the same
// query path as the screen. Streamed; the file name is built by the server. Bad parameters answer 400
// with one sentence, an unknown view 404, anything else 503 (details only in the server log).
// Who may download what is ~/auth/policy.ts: no session or token 401, a view the role may not have 403;
// figures the role may not see are left out of the file. Every download is written to the audit log
// (who, view, filters, format, rows, whether it was read to the end).
// server.js calls `download` and pipes its body to the socket with backpressure (no web stream in
// between); under `remix vite:dev` Remix calls `loader`, which wraps the same thing in a Response.

import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestContext, signInPath } from "~/.server/auth/access.server";
import { currentGate, type RequestContext } from "~/.server/auth/gate.server";
import { NotFound, parseExportRequest, prepareDownload } from "~/.server/export/stream.server";
import { isExportView } from "~/.server/export/views.server";
import { chooseLocale } from "~/.server/locale.server";
import { BadRequest } from "~/.server/overview.server";
import {
  getWarehouse,
  NO_WAREHOUSE_MESSAGE,
  SNAPSHOT_HEADER,
  WarehouseBusy,
} from "~/.server/warehouse.server";
import { canExport, canSeeMetric } from "~/auth/policy";
import { isMetricId } from "~/metrics/catalogue";

export interface DownloadAnswer {
  status: number;
  headers: Record<string, string>;
  /** The file, pulled chunk by chunk; a string for a refusal. */
  body: AsyncIterable<Uint8Array> | string;
}

const COMMON = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

/** The page a download was asked from (its Referer on this site), to return to after signing in. */
function pageOf(request: Request): string {
  const referer = request.headers.get("referer");
  if (!referer) return "/";
  try {
    const from = new URL(referer);
    const here = new URL(request.url);
    return from.host === here.host && !from.pathname.startsWith("/export/")
      ? `${from.pathname}${from.search}`
      : "/";
  } catch {
    return "/";
  }
}

const refusal = (message: string, status: number, extra: Record<string, string> = {}): DownloadAnswer => ({
  status,
  headers: { ...COMMON, "Content-Type": "text/plain; charset=utf-8", ...extra },
  body: `${message}\n`,
});

/** The error a stream ends with when its reader went away (a closed socket, an aborted request). */
function clientGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ABORT_ERR" || name === "AbortError";
}

/** The download for a request: headers decided, first bytes made (so an early failure has a status). */
async function download(request: Request, view: string, ctx: RequestContext): Promise<DownloadAnswer> {
  const { viewer } = ctx;
  if (!viewer) {
    // A person whose session ended, clicking a download: the sign-in page (saying why), back to the page
    // they were on, rather than the refusal saved as a file. Scripts keep their 401.
    const browser =
      !request.headers.get("authorization") && /text\/html/.test(request.headers.get("accept") ?? "");
    if (browser) {
      const location = signInPath(pageOf(request), ctx.expired === true);
      return { status: 302, headers: { ...COMMON, Location: location }, body: "" };
    }
    return refusal("Sign in first, or send an API token (Authorization: Bearer <token>).", 401, {
      "WWW-Authenticate": 'Bearer realm="backlight"',
    });
  }
  const gate = currentGate();
  if (isExportView(view) && !canExport(viewer.role, view)) {
    await gate.state.audit({
      event: "forbidden",
      actor: viewer.email,
      role: viewer.role,
      ip: ctx.ip,
      target: `/export/${view}`,
    });
    return refusal(`Your role (${viewer.role}) cannot download "${view}".`, 403);
  }
  const choice = chooseLocale(request);
  if (!choice.ok) return refusal(choice.message, 400);
  try {
    const req = parseExportRequest(view, new URL(request.url), choice.locale);
    // A figure the role may not see, asked for by name: 403 and an audit row, as on the pages (the
    // columns of a file are dropped silently only when nobody named them).
    for (const name of ["metric", "sort"])
      for (const asked of req.url.searchParams.getAll(name))
        if (isMetricId(asked) && !canSeeMetric(viewer.role, asked)) {
          await gate.state.audit({
            event: "forbidden",
            actor: viewer.email,
            role: viewer.role,
            ip: ctx.ip,
            target: `/export/${view}?${name}=${asked}`,
          });
          return refusal(`Your role (${viewer.role}) cannot see ${asked}.`, 403);
        }
    const prepared = await prepareDownload(getWarehouse(), req, viewer.role);
    if (!prepared) return refusal(NO_WAREHOUSE_MESSAGE, 503);
    // The start is logged before the first byte: a download cut by its replica dying (no end row) is
    // still in the log, with who asked and what.
    await gate.state.audit({
      event: "export_started",
      actor: viewer.email,
      role: viewer.role,
      ip: ctx.ip,
      target: req.view,
      detail: { format: req.format, filters: req.url.search.slice(1), via: viewer.via },
    });
    const iterator = prepared.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    let bytes = 0;
    let outcome: "complete" | "cut" | "failed" = "cut";
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (let next = first; !next.done; next = await iterator.next()) {
          bytes += next.value.byteLength;
          yield next.value;
        }
        outcome = "complete";
      } catch (error) {
        // Mid-stream: the status is sent already; the download is cut, never silently short. A client
        // that went away (its request aborted) cut it; anything else failed.
        if (request.signal.aborted || clientGone(error)) outcome = "cut";
        else {
          outcome = "failed";
          console.error("backlight: export failed while streaming", error);
        }
        throw error;
      } finally {
        await iterator.return?.(undefined);
        await gate.state.audit({
          event: "export",
          actor: viewer?.email,
          role: viewer?.role,
          ip: ctx.ip,
          target: req.view,
          detail: {
            format: req.format,
            filters: req.url.search.slice(1),
            rows: outcome === "complete" ? prepared?.rows() : null,
            bytes,
            outcome,
            via: viewer?.via,
          },
        });
      }
    }
    return {
      status: 200,
      headers: {
        ...COMMON,
        "Content-Type": prepared.contentType,
        "Content-Disposition": `attachment; filename="${prepared.filename}"`,
        [SNAPSHOT_HEADER]: prepared.snapshot.id,
      },
      body: body(),
    };
  } catch (error) {
    if (error instanceof BadRequest) return refusal(error.in(choice.locale), 400);
    if (error instanceof NotFound) return refusal(error.message, 404);
    if (error instanceof WarehouseBusy)
      return refusal("The warehouse is busy. Try again in a moment.", 503, {
        "Retry-After": String(error.retryAfterSeconds),
      });
    console.error("backlight: export failed", error);
    return refusal("The export could not be produced. Try again in a moment.", 503);
  }
}

// `download` rides on the loader (loader.download) for server.js: a route module's other exports reach
// the browser bundle, and this one needs server-only code.
export const loader = Object.assign(answer, { download });

async function answer({ request, params, context }: LoaderFunctionArgs): Promise<Response> {
  const answer = await download(request, params.view ?? "", requestContext(context));
  if (typeof answer.body === "string")
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  const iterator = answer.body[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
  return new Response(body, { status: answer.status, headers: answer.headers });
}
