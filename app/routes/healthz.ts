// GET /healthz: 200 when the current snapshot opens and answers a query (within 2 s, without waiting
// behind the pages' queries), with the snapshot's id, when it was published, its age in seconds and
// whether its warming is done; 503 otherwise.

import { getWarehouse, SNAPSHOT_HEADER, WarehouseError } from "~/.server/warehouse.server";

export async function loader(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    // Outside the query slots and bounded in time: a heavy page never delays the health check.
    const result = await getWarehouse().probe();
    if (result.state === "empty") {
      return Response.json({ status: "unavailable", message: result.message }, { status: 503, headers });
    }
    // The snapshot's id and age: an operator (or a balancer) sees whether every replica serves the same.
    const ageSeconds = Math.max(0, Math.round((Date.now() - Date.parse(result.snapshot.createdAt)) / 1000));
    // warm: the snapshot's presets are computed and its marts held (false for a while after a start or
    // a switch: pages answer meanwhile, some slower).
    const warm = getWarehouse().isWarm(result.snapshot.id);
    return Response.json(
      {
        status: "ok",
        snapshot: result.snapshot.id,
        publishedAt: result.snapshot.createdAt,
        ageSeconds,
        warm,
      },
      { headers: { ...headers, [SNAPSHOT_HEADER]: result.snapshot.id } },
    );
  } catch (error) {
    if (!(error instanceof WarehouseError)) console.error("backlight: health check failed", error);
    const message = error instanceof WarehouseError ? error.message : "the warehouse could not be queried";
    return Response.json({ status: "unavailable", message }, { status: 503, headers });
  }
}
