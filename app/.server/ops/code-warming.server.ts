// A fresh server process renders a set of pages of its own before it says it is warm (ADR 0037): V8
// compiles a function to fast code only after it has run it many times with the same shapes, and each
// page's loaders, the metric layer, React's render and Remix's serialisation take other paths for other
// filters. Without this, a fresh server's first few hundred readers paid for that compiling: over the
// pages bench's 320 random first visits, ~1,000 functions were optimised and ~200 deoptimised, and the
// server spent 16–17 ms of its JavaScript thread and 9–10 ms of other threads (V8's compiler and
// collector) per visit, against 13–14 and 6 once the same code had served another 320.
//
// The renders go through Remix's request handler (the loaders, the render, the data serialisation) as a
// signed-in finance reader with no session, in both languages, for URLs drawn from the shared sampler
// (app/lib/sample-visits.ts) with a seed of its own. Their results are kept nowhere (`withoutKeeping`):
// the result cache starts as the snapshot warmers left it. Once per process, after every other warmer of
// the first snapshot served, so `/healthz` says `warm` only after it. BACKLIGHT_WARM_RENDERS sets how many
// renders (default 3,840, ADR 0046; 0: none).

import type { AppLoadContext } from "@remix-run/node";
import { LOCALES } from "~/i18n/locales";
import { drawVisits, SAMPLED_PAGES } from "~/lib/sample-visits";
import { DEFAULT_WARM_RENDERS } from "../../../core/server-process.ts";
import type { RequestContext } from "../auth/gate.server";
import { withoutKeeping } from "../cache.server";
import { readDimensions } from "../overview.server";
import { addWarmer, type Warehouse } from "../warehouse.server";

/** Remix's request handler (`createRequestHandler(build)` of @remix-run/node), as server.js builds it. */
export type PageRenderer = (request: Request, context: AppLoadContext) => Promise<Response>;

/** Not the pages bench's seed (19): the bench's first visits are never among the URLs rendered here. */
const SEED = 20261206;

let renderer: PageRenderer | null = null;
let done = false;

/** server.js hands over Remix's handler; without one (tests importing the app, the CLI), nothing runs. */
export function setPageRenderer(render: PageRenderer): void {
  renderer = render;
}

function warmRendersWanted(): number {
  const raw = process.env.BACKLIGHT_WARM_RENDERS;
  if (raw === undefined || raw === "") return DEFAULT_WARM_RENDERS;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_WARM_RENDERS;
}

async function warmCode(warehouse: Warehouse): Promise<void> {
  const render = renderer;
  const wanted = warmRendersWanted();
  if (done || !render || wanted === 0) return;
  const dims = await readDimensions(warehouse);
  const data = dims.state === "ready" ? dims.result.data : null;
  // A snapshot without sales yet: the next one's warming tries again.
  if (!data || dims.state !== "ready" || dims.result.countries.length === 0) return;
  done = true;
  const span = {
    from: data.from,
    to: data.to,
    countries: dims.result.countries.map((c) => ({ code: c.country_code, region: c.region })),
  };
  const visits = drawVisits(span, SEED, Math.ceil(wanted / SAMPLED_PAGES.length)).slice(0, wanted);
  const context: RequestContext = {
    viewer: { id: 0, email: "warming@backlight.invalid", role: "finance", via: "session" },
    sessionId: null,
    nonce: "warming",
    ip: "127.0.0.1",
    secure: false,
  };
  const started = performance.now();
  let ok = 0;
  for (const [i, visit] of visits.entries()) {
    // Every fourth as a client-side navigation asks it (single fetch's .data), the others as page loads;
    // the languages in turn, four renders each.
    const [path, search] = visit.url.split("?");
    const navigation = i % 4 === 3;
    const url = navigation
      ? `${path === "/" ? "/_root" : path}.data${search ? `?${search}` : ""}`
      : visit.url;
    const request = new Request(`http://warming.invalid${url}`, {
      headers: { "Accept-Language": LOCALES[Math.floor(i / 4) % LOCALES.length] ?? "en-GB" },
    });
    try {
      const response = await withoutKeeping(() =>
        render(request, { backlight: context, document: !navigation }),
      );
      // The page is rendered as its body is read.
      await withoutKeeping(() => response.arrayBuffer());
      if (response.status === 200) ok += 1;
      else console.warn(`backlight: a warming render of ${url} answered ${response.status}`);
    } catch (error) {
      console.error(`backlight: a warming render of ${url} failed`, error);
    }
    // A reader's request that came in meanwhile goes first.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ms = Math.round(performance.now() - started);
  console.info(
    `backlight: rendered ${visits.length} sample pages in ${ms} ms (${ok} answered 200) to warm the code`,
  );
}

addWarmer(warmCode, { final: true });
