import { crmCsvWriter } from './crm-writer.ts';
import type { DemoWriter } from './demo-writer.ts';
import { chatExportWriter } from './export-writer.ts';

/**
 * Writers of landing formats beyond webhooks and SCRM events, run after the simulation
 * (each source that needs demo files adds its writer here).
 */
export const DEMO_WRITERS: readonly DemoWriter[] = [chatExportWriter, crmCsvWriter];
