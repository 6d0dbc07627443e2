// Requests from a chosen loopback address (127.0.0.0/8 only: every address of it reaches this machine
// on Linux), so a test or the bench can play several clients at once: an attacker's addresses and the real user's
// usual one. Plain node:http, which can bind the local address (fetch cannot).

import { request } from "node:http";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/** Only 127.0.0.0/8: a burst must never leave the machine. */
export function loopback(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 254) throw new Error(`loopback(${n}): 1-254 only`);
  return `127.0.0.${n}`;
}

export function send(
  baseUrl: string,
  path: string,
  options: {
    method?: string;
    from?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** A body produced as it is sent (written until the answer comes). */
    stream?: (write: (chunk: Buffer) => boolean, done: () => boolean) => Promise<void>;
  } = {},
): Promise<Answer> {
  const url = new URL(path, baseUrl);
  if (options.from && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.from))
    throw new Error(`refusing to send from ${options.from}: loopback addresses only`);
  if (!["127.0.0.1", "localhost"].includes(url.hostname)) throw new Error("loopback servers only");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? "GET",
        localAddress: options.from,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (body.length < 1_000_000) body += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", (error) => {
      // A server that answers then closes while the body is still being sent resets the upload.
      if (!answered) reject(error);
    });
    req.on("socket", (socket) => socket.on("error", () => undefined));
    if (options.stream) {
      options
        .stream(
          (chunk) => req.write(chunk),
          () => answered || req.destroyed,
        )
        .then(
          () => req.end(),
          () => req.destroy(),
        );
    } else req.end(options.body);
  });
}

/** A form post from a loopback address, with this origin's Origin header. */
export function postForm(
  baseUrl: string,
  path: string,
  form: Record<string, string>,
  from?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const body = new URLSearchParams(form).toString();
  return send(baseUrl, path, {
    method: "POST",
    from,
    headers: {
      Origin: baseUrl,
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(Buffer.byteLength(body)),
      ...headers,
    },
    body,
  });
}

/** Resident memory of a process in MiB (Linux /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
