import { PipelineError } from './errors.ts';
import type { Source } from './source.ts';
import { crmApiSource } from './sources/crm-api.source.ts';
import { crmCsvSource } from './sources/crm-csv.source.ts';
import { scrmEventsSource } from './sources/scrm-events.source.ts';
import { whatsappCloudSource } from './sources/whatsapp-cloud.source.ts';
import { whatsappExportSource } from './sources/whatsapp-export.source.ts';

/** Every source, in the order `parley run` runs them. */
export const SOURCES: readonly Source[] = [whatsappCloudSource, scrmEventsSource, whatsappExportSource, crmCsvSource, crmApiSource];

/** The source called `name`, or a usage error listing the known ones. */
export function getSource(name: string): Source {
  const source = SOURCES.find((s) => s.name === name);
  if (!source) {
    throw new PipelineError('PIPE_UNKNOWN_SOURCE', `Unknown source "${name}". Known sources: ${SOURCES.map((s) => s.name).join(', ')}.`);
  }
  return source;
}
