import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[2], { access_mode: 'READ_ONLY' });
const c = await db.connect();
const q = async (s) => (await c.runAndReadAll(s)).getRowObjectsJS();
for (const b of [4, 5]) console.log(b, JSON.stringify(await q(`select model, strategy, round(elapsed_ms/1000, 2) as s from ops.model_runs where build_id = ${b} and (model like '%churn%' or model like '%duplicate%') order by model`)));
