/** Kysely table types of the `ops` schema, for typed app queries. */
export interface OpsDatabase {
  'ops.pipeline_runs': {
    run_id: number;
    source: string;
    trigger: string;
    started_at: Date;
    finished_at: Date | null;
    status: string;
    rows_read: number;
    rows_loaded: number;
    rows_quarantined: number;
    batches: number;
    error: string | null;
    details: string | null;
  };
  'ops.quarantine': {
    run_id: number;
    load_id: number;
    source: string;
    location: string;
    line_no: number | null;
    record_id: string | null;
    reason: string;
    raw_text: string | null;
    quarantined_at: Date;
  };
  'ops.builds': {
    build_id: number;
    started_at: Date;
    finished_at: Date | null;
    is_full: boolean;
    status: string;
    models_ok: number;
    models_failed: number;
    models_skipped: number;
    error: string | null;
  };
  'ops.model_runs': {
    build_id: number;
    model: string;
    status: string;
    strategy: string;
    rows: number | null;
    elapsed_ms: number | null;
    error: string | null;
  };
}
