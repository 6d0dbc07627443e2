// GET /export/<view>?<the view's filters>&format=csv|csv-excel-fr|csv-excel-en|parquet|arrow[&labels=1]
// A download of a dashboard view (or the order-item ledger) with the filters of its page: the same
// query path as the screen. Streamed; the file name is built by the server. Bad parameters answer 400
// with one sentence, an unknown view 404, anything else 503 (details only in the server log).
// server.js calls `download` and pipes its body to the socket with backpressure (no web stream in
// between); under `remix vite:dev` Remix calls `loader`, which wraps the same thing in a Response.

import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotFound, parseExportRequest, prepareDownload } from "~/.server/export/stream.server";
import { chooseLocale } from "~/.server/locale.server";
import { BadRequest } from "~/.server/overview.server";
import { getWarehouse, NO_WAREHOUSE_MESSAGE, SNAPSHOT_HEADER } from "~/.server/warehouse.server";

export interface DownloadAnswer {
  status: number;
  headers: Record<string, string>;
  /** The file, pulled chunk by chunk; a string for a refusal. */
  body: AsyncIterable<Uint8Array> | string;
}

const COMMON = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

const refusal = (message: string, status: number): DownloadAnswer => ({
  status,
  headers: { ...COMMON, "Content-Type": "text/plain; charset=utf-8" },
  body: `${message}\n`,
});

/** The download for a request: headers decided, first bytes made (so an early failure has a status). */
async function download(request: Request, view: string): Promise<DownloadAnswer> {
  const choice = chooseLocale(request);
  if (!choice.ok) return refusal(choice.message, 400);
  try {
    const req = parseExportRequest(view, new URL(request.url), choice.locale);
    const prepared = await prepareDownload(getWarehouse(), req);
    if (!prepared) return refusal(NO_WAREHOUSE_MESSAGE, 503);
    const iterator = prepared.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        if (!first.done) yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      } catch (error) {
        // Mid-stream: the status is sent already; the download is cut, never silently short.
        console.error("backlight: export failed while streaming", error);
        throw error;
      } finally {
        await iterator.return?.(undefined);
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
    if (error instanceof BadRequest) return refusal(error.message, 400);
    if (error instanceof NotFound) return refusal(error.message, 404);
    console.error("backlight: export failed", error);
    return refusal("The export could not be produced. Try again in a moment.", 503);
  }
}

// `download` rides on the loader (loader.download) for server.js: a route module's other exports reach
// the browser bundle, and this one needs server-only code.
export const loader = Object.assign(answer, { download });

async function answer({ request, params }: LoaderFunctionArgs): Promise<Response> {
  const answer = await download(request, params.view ?? "");
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
