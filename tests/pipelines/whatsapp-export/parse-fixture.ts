import fs from 'node:fs';
import path from 'node:path';
import { PhoneNormaliser } from '../../../pipelines/phones.ts';
import { EXPORT_COLUMNS } from '../../../pipelines/sources/whatsapp-export/export-rows.ts';
import { parseExportFile, type ParsedExportFile } from '../../../pipelines/sources/whatsapp-export/parse-export.ts';
import type { DateOrder } from '../../../pipelines/sources/whatsapp-export/date-order.ts';
import { ZonedClock } from '../../../pipelines/sources/whatsapp-export/zoned-clock.ts';
import { FIXTURES } from '../../helpers/temp-warehouse.ts';

/** The business names the fixtures use. */
export const FIXTURE_BUSINESS = ['Shirley Tam', 'Kelly Ho', '윤지혜'];

/** A fixture's path. */
export const exportFixture = (name: string) => path.join(FIXTURES, 'whatsapp-export', name);

/** A raw row as an object keyed by column name. */
export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], unknown>;

/** Parses bytes as the source would, with the fixture business names, and returns rows as objects. */
export function parseBytes(bytes: Uint8Array, file = '/exports/WhatsApp Chat with Grace Yip.txt', opts: { tz?: string; dateOrder?: DateOrder; business?: string[] } = {}): ParsedExportFile & { objects: ExportRow[] } {
  const parsed = parseExportFile(bytes, file, 'sha', {
    businessNames: opts.business ?? FIXTURE_BUSINESS,
    dateOrder: opts.dateOrder,
    clock: new ZonedClock(opts.tz ?? 'Asia/Hong_Kong'),
    phones: new PhoneNormaliser('HK'),
  });
  const objects = parsed.rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, r[i]])) as ExportRow);
  return { ...parsed, objects };
}

/** Parses a fixture file. */
export function parseFixture(name: string, opts: { tz?: string; dateOrder?: DateOrder; business?: string[] } = {}): ParsedExportFile & { objects: ExportRow[] } {
  return parseBytes(fs.readFileSync(exportFixture(name)), exportFixture(name), opts);
}
