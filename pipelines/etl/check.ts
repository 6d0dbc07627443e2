// The dry run (`npm run etl -- --landing <dir> --check`): every pending batch validated exactly as a
// real run would (types, codes, keys, references, FX coverage, in batch order, each batch seeing the
// rows of the batches before it), on a throw-away copy of the current snapshot in the system's temp
// folder. Nothing is written to the data directory and nothing is published; the copy is removed.
// What a company runs before connecting an extract.

import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CONTRACT } from "../../core/contract.ts";
import { openBatchDb, queryRows, sqlString } from "../../core/duckdb.ts";
import { discoverBatches, fingerprint, type LandingBatch, readChecksumCache } from "./batches.ts";
import { applyBatch, initialise, type LoadStat, readApplied, removeBatchRows } from "./run.ts";
import { readPointer } from "./snapshots.ts";
import { BatchRefused } from "./validate.ts";

export interface CheckOptions {
  landing: string;
  dataDir: string;
  reapply?: string[];
  timeZone?: string;
  /** Lines shown per reason (default 3). */
  samples?: number;
  onProgress?: (line: string) => void;
}

export interface ReasonReport {
  rule: string;
  rows: number;
  /** The first lines with this reason: line number and why. */
  first: { line: number; reason: string }[];
}

export interface EntityReport extends LoadStat {
  reasons: ReasonReport[];
}

export interface CheckReport {
  /** Batches a real run would apply, in order. */
  pending: string[];
  /** Already applied and unchanged: a real run skips them. */
  skipped: string[];
  entities: EntityReport[];
  /** Why a real run would stop (a file refused whole, a changed batch), if it would. */
  refused?: string;
  rowsQuarantined: number;
  /** Nothing would be quarantined or refused. */
  clean: boolean;
}

export async function checkLanding(options: CheckOptions): Promise<CheckReport> {
  const dataDir = resolve(options.dataDir);
  const tz = options.timeZone ?? "Europe/Paris";
  const samples = options.samples ?? 3;
  const progress = options.onProgress ?? (() => undefined);
  const report: CheckReport = { pending: [], skipped: [], entities: [], rowsQuarantined: 0, clean: false };
  // The checksums the data directory remembers are read, never written: a dry run writes nothing.
  const batches = await discoverBatches(options.landing, await readChecksumCache(options.dataDir));
  const current = await readPointer(dataDir);
  const applied = await readApplied(dataDir, current);
  const reapply = new Set(options.reapply ?? []);
  for (const id of reapply)
    if (!batches.some((b) => b.batchId === id))
      throw new BatchRefused(`--reapply ${id}: no such batch in ${options.landing}`);
  const toApply: LandingBatch[] = [];
  for (const batch of batches) {
    const known = applied.get(batch.batchId);
    if (known === undefined || reapply.has(batch.batchId)) toApply.push(batch);
    else if (known === fingerprint(batch.files)) report.skipped.push(batch.batchId);
    else {
      report.refused ??= `batch ${batch.batchId} has changed since it was applied; a run needs --reapply ${batch.batchId} to apply it again`;
    }
  }
  report.pending = toApply.map((b) => b.batchId);
  if (toApply.length === 0 || report.refused) {
    report.clean = !report.refused;
    return report;
  }
  const scratch = await mkdtemp(join(tmpdir(), "backlight-check-"));
  try {
    const file = join(scratch, "check.duckdb");
    if (current) await copyFile(join(dataDir, current.path), file);
    const { instance, conn } = await openBatchDb(file, { tempDirectory: scratch, memoryLimit: "8GB" });
    try {
      await conn.run(`SET TimeZone = ${sqlString(tz)}`);
      await initialise(conn, tz, false);
      for (const batch of toApply.filter((b) => reapply.has(b.batchId)))
        for (const entity of CONTRACT) await removeBatchRows(conn, entity, batch.batchId, tz);
      for (const batch of toApply) {
        try {
          await applyBatch(
            conn,
            batch,
            "check",
            tz,
            reapply.has(batch.batchId),
            false,
            progress,
            async (c, _entity, stat) => {
              const reasons = await queryRows<{ rule: string; rows: number; first: string }>(
                c,
                `SELECT rule, count(*) AS rows,
                 to_json(list({'line': line, 'reason': reason} ORDER BY line)[1:${samples}])::VARCHAR AS first
               FROM rejected GROUP BY rule ORDER BY min(line)`,
              );
              report.entities.push({
                ...stat,
                reasons: reasons.map((r) => ({
                  rule: r.rule,
                  rows: r.rows,
                  first: JSON.parse(r.first) as { line: number; reason: string }[],
                })),
              });
            },
          );
        } catch (error) {
          if (!(error instanceof BatchRefused)) throw error;
          report.refused = error.message;
          break;
        }
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  report.rowsQuarantined = report.entities.reduce((n, e) => n + e.rows_quarantined, 0);
  report.clean = !report.refused && report.rowsQuarantined === 0;
  return report;
}
