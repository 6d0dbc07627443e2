import { DuckDBInstance } from "@duckdb/node-api";

const [file, ...sqls] = process.argv.slice(2);
const inst = await DuckDBInstance.create(file, {
  access_mode: "READ_ONLY",
  autoload_known_extensions: "false",
  autoinstall_known_extensions: "false",
});
const c = await inst.connect();
for (const sql of sqls) {
  const t = performance.now();
  const r = await c.runAndReadAll(sql);
  const rows = r.getRowObjectsJS();
  console.log(`-- ${((performance.now() - t) / 1000).toFixed(2)} s: ${sql.slice(0, 100)}`);
  console.table(
    rows
      .slice(0, 60)
      .map((o) =>
        Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
      ),
  );
}
