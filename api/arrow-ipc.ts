import { PassThrough, type Readable } from 'node:stream';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBDecimalValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import {
  Binary, Bool, DateDay, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, RecordBatchStreamWriter, Table, TimestampMicrosecond, Uint16, Uint32, Uint64, Uint8, Utf8, vectorFromArray,
  type DataType,
} from 'apache-arrow';
import type { ResultColumn } from './sql-sandbox.ts';
import { apiValueConverter } from './sql-values.ts';

/** How one DuckDB column becomes an Arrow column: its Arrow type and a value reader. */
interface ArrowColumn {
  readonly name: string;
  readonly type: DataType;
  read(v: DuckDBValue): unknown;
}

const MS_PER_DAY = 86_400_000;
const asNumber = (v: DuckDBValue) => v as number;
const asBigInt = (v: DuckDBValue) => v as bigint;
const asText = (v: DuckDBValue) => String(v);
const micros = (v: DuckDBValue): number | null => {
  const ms = Number((v as { micros: bigint }).micros / 1000n);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
};

/**
 * Maps a DuckDB type to Arrow (node-api has no Arrow output, so vectors are built from the
 * column values). Integers, floats, booleans, dates, timestamps and blobs keep their type;
 * DECIMAL becomes Float64 up to 15 digits and text beyond, HUGEINT text; nested and other
 * types become JSON text.
 */
export function arrowColumn(name: string, t: DuckDBType): ArrowColumn {
  const col = (type: DataType, read: (v: DuckDBValue) => unknown): ArrowColumn => ({ name, type, read });
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return col(new Bool(), (v) => v as boolean);
    case DuckDBTypeId.TINYINT:
      return col(new Int8(), asNumber);
    case DuckDBTypeId.SMALLINT:
      return col(new Int16(), asNumber);
    case DuckDBTypeId.INTEGER:
      return col(new Int32(), asNumber);
    case DuckDBTypeId.BIGINT:
      return col(new Int64(), asBigInt);
    case DuckDBTypeId.UTINYINT:
      return col(new Uint8(), asNumber);
    case DuckDBTypeId.USMALLINT:
      return col(new Uint16(), asNumber);
    case DuckDBTypeId.UINTEGER:
      return col(new Uint32(), asNumber);
    case DuckDBTypeId.UBIGINT:
      return col(new Uint64(), asBigInt);
    case DuckDBTypeId.FLOAT:
      return col(new Float32(), asNumber);
    case DuckDBTypeId.DOUBLE:
      return col(new Float64(), asNumber);
    case DuckDBTypeId.DECIMAL:
      return (t as unknown as { width: number }).width <= 15 ? col(new Float64(), (v) => (v as DuckDBDecimalValue).toDouble()) : col(new Utf8(), asText);
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return col(new Utf8(), asText);
    case DuckDBTypeId.DATE:
      return col(new DateDay(), (v) => ((v as { days: number }).days * MS_PER_DAY));
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return col(new TimestampMicrosecond(), (v) => micros(v) ?? (v as { millis?: bigint; seconds?: bigint; nanos?: bigint }).toString());
    case DuckDBTypeId.TIMESTAMP_TZ:
      return col(new TimestampMicrosecond('UTC'), micros);
    case DuckDBTypeId.BLOB:
      return col(new Binary(), (v) => (v as { bytes: Uint8Array }).bytes);
    default:
      return col(new Utf8(), (v) => {
        const plain = apiValueConverter(v, t, apiValueConverter);
        return typeof plain === 'string' ? plain : JSON.stringify(plain);
      });
  }
}

/** One Arrow record batch from the first `rows` rows of a DuckDB chunk. */
export function recordBatchOf(columns: readonly ArrowColumn[], chunk: DuckDBDataChunk, rows: number): RecordBatch {
  const vectors: Record<string, ReturnType<typeof vectorFromArray>> = {};
  columns.forEach((c, i) => {
    const values = chunk.getColumnValues(i);
    const out = new Array<unknown>(rows);
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      out[r] = v === null || v === undefined ? null : c.read(v);
    }
    vectors[c.name] = vectorFromArray(out, c.type as never);
  });
  return new Table(vectors).batches[0]!;
}

/**
 * Streams chunks as an Arrow IPC stream (`application/vnd.apache.arrow.stream`): the schema,
 * then a record batch per DuckDB chunk. An error while reading destroys the stream.
 */
export function arrowIpcStream(columns: readonly ResultColumn[], types: readonly DuckDBType[], chunks: AsyncIterable<{ chunk: DuckDBDataChunk; rows: number }>): Readable {
  const arrowColumns = columns.map((c, i) => arrowColumn(c.name, types[i]!));
  const writer = new RecordBatchStreamWriter();
  const out = new PassThrough();
  const pump = (async () => {
    for await (const bytes of writer) {
      if (!out.write(bytes)) await new Promise((resolve) => out.once('drain', resolve));
    }
  })();
  void (async () => {
    try {
      let wrote = false;
      for await (const { chunk, rows } of chunks) {
        writer.write(recordBatchOf(arrowColumns, chunk, rows));
        wrote = true;
      }
      // An empty result still carries its schema.
      if (!wrote) writer.write(new Table(Object.fromEntries(arrowColumns.map((c) => [c.name, vectorFromArray([], c.type as never)]))).batches[0]!);
      writer.finish();
      await pump;
      out.end();
    } catch (err) {
      writer.abort();
      out.destroy(err as Error);
    }
  })();
  return out;
}
