import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[2], { access_mode: 'READ_ONLY' });
const c = await db.connect();
const q = async (s) => (await c.runAndReadAll(s)).getRowObjectsJS();
console.log(await q(`select build_id, is_full, status, date_diff('millisecond', started_at, finished_at)/1000.0 as s from ops.builds order by build_id`));
console.log(await q(`select model, strategy, rows, round(elapsed_ms/1000, 2) as s from ops.model_runs where build_id = (select max(build_id) from ops.builds) order by elapsed_ms desc limit 15`));
console.log(await q(`select round(sum(elapsed_ms)/1000,1) as total_model_s from ops.model_runs where build_id = (select max(build_id) from ops.builds)`));
