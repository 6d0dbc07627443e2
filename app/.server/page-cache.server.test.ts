import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  DEFLATE_CHUNK,
  deflateParts,
  deflatePartsOnStream,
  gzipWithNonce,
  splitAt,
} from "./page-cache.server";

// A page as the cache keeps it: cut at its render's nonce, each part compressed apart; a hit puts its own
// nonce between the parts and sends one gzip body. Larger than zlib's output buffer (DEFLATE_CHUNK), with
// text that compresses and bytes that do not, and multi-byte characters.
const RENDER_NONCE = "bm9uY2UtYXQtcmVuZGVy";
const HIT_NONCE = "YS1uZXctb25lLWF0LWVhY2gtaGl0";
const row = (i: number) =>
  `<tr><td>Vendeur ${i}</td><td>1 234,56 €</td><td>${randomBytes(12).toString("hex")}</td></tr>`;
const page = [
  `<!DOCTYPE html><html lang="fr-FR"><head><script nonce="${RENDER_NONCE}">1</script></head><body><table>`,
  Array.from({ length: 9_000 }, (_, i) => row(i)).join(""),
  `</table><script nonce="${RENDER_NONCE}">window.__remixContext = {}</script>`,
  `<script nonce="${RENDER_NONCE}">2</script></body></html>`,
].join("");
const body = Buffer.from(page, "utf8");
const parts = splitAt(body, Buffer.from(RENDER_NONCE, "utf8"));
const expected = page.replaceAll(RENDER_NONCE, HIT_NONCE);

describe("the page cache's compressed parts", () => {
  it("cuts the page at each nonce", () => {
    expect(body.length).toBeGreaterThan(DEFLATE_CHUNK);
    expect(parts).toHaveLength(4);
    expect(Buffer.concat(parts).toString("utf8")).toBe(page.replaceAll(RENDER_NONCE, ""));
  });

  it("in the worker thread: one gzip body with a hit's nonce between the parts", async () => {
    const deflated = await deflateParts(parts);
    expect(deflated).toHaveLength(parts.length);
    expect(gunzipSync(gzipWithNonce(parts, deflated, HIT_NONCE)).toString("utf8")).toBe(expected);
  });

  it("on zlib's stream, when the worker cannot run: the same page, byte for byte", async () => {
    const onStream = await deflatePartsOnStream(parts);
    expect(onStream).toHaveLength(parts.length);
    expect(gunzipSync(gzipWithNonce(parts, onStream, HIT_NONCE)).toString("utf8")).toBe(expected);

    let asked = 0;
    const fallenBack = await deflateParts(parts, () => {
      asked += 1;
      return Promise.reject(new Error("deflate worker exited (1)"));
    });
    expect(asked).toBe(1);
    expect(fallenBack.map((b) => b.toString("base64"))).toEqual(onStream.map((b) => b.toString("base64")));
    expect(gunzipSync(gzipWithNonce(parts, fallenBack, HIT_NONCE)).toString("utf8")).toBe(expected);
  });

  it("a page without a nonce is one part", async () => {
    const whole = [Buffer.from("<p>Données synthétiques</p>", "utf8")];
    for (const deflated of [await deflateParts(whole), await deflatePartsOnStream(whole)])
      expect(gunzipSync(gzipWithNonce(whole, deflated, "")).toString("utf8")).toBe(
        "<p>Données synthétiques</p>",
      );
  });
});
