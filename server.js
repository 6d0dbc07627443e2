// The production server behind `npm start` (and `npm run demo`): what remix-serve does (static assets,
// compression, the Remix handler), plus downloads sent with backpressure and without compression.
// remix-serve would gzip a 5 GB CSV on one core and buffer it in memory for a slow reader; here
// /export/* is written only as fast as the reader takes it, so memory stays flat (ADR 0009).

import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";

const buildPath = resolve(process.argv[2] ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const download = build.routes["routes/export.$view"]?.module?.loader?.download;
if (!download) throw new Error(`${buildPath} has no export route: run npm run build`);

const app = express();
app.disable("x-powered-by");

app.get("/export/:view", async (req, res, next) => {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  try {
    const url = new URL(req.originalUrl, `http://${req.headers.host ?? "localhost"}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(url, { headers, signal: controller.signal });
    const answer = await download(request, req.params.view);
    res.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (typeof answer.body === "string") return res.end(answer.body);
    // pipeline pulls the next chunk only when the socket has room: backpressure end to end; a closed
    // socket ends the iterator, which stops the export.
    await pipeline(Readable.from(answer.body, { objectMode: false }), res);
  } catch (error) {
    if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
    else next(error);
  }
});

app.use(compression());
// Fingerprinted assets are immutable; the rest of the client build may change with a deploy.
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const port = Number(process.env.PORT) || 3000;
app.listen(port, () => console.log(`[backlight] http://localhost:${port}`));
