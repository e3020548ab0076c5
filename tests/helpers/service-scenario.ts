import fs from 'node:fs';
import path from 'node:path';
import { configFor, PROJECT_ROOT, type Config } from '../../config/config.ts';
import { runSource } from '../../pipelines/loader.ts';
import { BUSINESS_NUMBERS } from '../../pipelines/demo/catalog.ts';
import * as scrm from '../../pipelines/demo/scrm-format.ts';
import { inboundPayload, statusPayload, type InboundBody } from '../../pipelines/demo/webhook-format.ts';
import { scrmEventsSource } from '../../pipelines/sources/scrm-events.source.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { buildWarehouse, type WarehouseBuild, type WarehouseBuildOptions } from '../../warehouse/build.ts';
import { openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { tempDir } from './temp-dirs.ts';

/** The HK business number of the demo catalog: conversations are `1098765:+<customer>`. */
export const SHOP = BUSINESS_NUMBERS[0]!;

/** UTC milliseconds of a Hong Kong local time `YYYY-MM-DD HH:MM:SS[.mmm]` (UTC+8, no DST). */
export function hk(local: string): number {
  return Date.parse(`${local.replace(' ', 'T')}+08:00`);
}

/** The conversation id of customer `waId` with the shop. */
export function convo(waId: string): string {
  return `${SHOP.phoneNumberId}:+${waId}`;
}

/** Business hours of the tests: Mon-Fri 09:00-21:00, weekends closed, Thu 19 Nov 2026 a holiday. */
export const TEST_BUSINESS_HOURS = {
  hours: { mon: ['09:00-21:00'], tue: ['09:00-21:00'], wed: ['09:00-21:00'], thu: ['09:00-21:00'], fri: ['09:00-21:00'], sat: [], sun: [] },
  closed_dates: ['2026-11-19'],
};

/**
 * A temp warehouse whose config folder is a copy of the shipped one with the test business
 * hours (and any other file overridden by `files`).
 */
export async function serviceWarehouse(files: Record<string, unknown> = {}): Promise<{ dir: string; config: Config; wh: Warehouse }> {
  const dir = tempDir('parley-service-');
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  for (const f of fs.readdirSync(path.join(PROJECT_ROOT, 'config')).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(PROJECT_ROOT, 'config', f), path.join(configDir, f));
  }
  // Hand-built data is old by the wall clock and its sources end on different days:
  // freshness gets its own tests.
  const quality = { freshness: { default: { warn_age_hours: 24 * 365 * 10, error_lag_hours: 24 * 365 * 10 } }, sample_size: 50 };
  for (const [name, value] of Object.entries({ business_hours: TEST_BUSINESS_HOURS, quality, ...files })) {
    fs.writeFileSync(path.join(configDir, `${name}.json`), JSON.stringify(value, null, 2));
  }
  fs.mkdirSync(path.join(dir, 'landing'), { recursive: true });
  const config = configFor(dir, { PARLEY_CONFIG_DIR: configDir });
  return { dir, config, wh: await openWarehouse(config) };
}

/**
 * Hand-built conversations written in the real landing formats (Meta webhooks, the SCRM
 * log) and loaded through the real sources, one load per `load()` call.
 */
export class Scenario {
  private webhook: string[] = [];
  private scrmLines: string[] = [];
  private part = 0;

  constructor(readonly wh: Warehouse) {}

  /** A customer message; returns its wamid. */
  inbound(waId: string, local: string, text: string, id = `wamid.in.${waId}.${hk(local)}`): string {
    this.webhook.push(inboundPayload(SHOP, waId, `Customer ${waId}`, id, hk(local), { type: 'text', text }));
    return id;
  }

  /** A customer message to another business number of the catalog. */
  inboundTo(num: (typeof BUSINESS_NUMBERS)[number], waId: string, local: string, text: string, id = `wamid.in.${num.phoneNumberId}.${waId}.${hk(local)}`): string {
    this.webhook.push(inboundPayload(num, waId, `Customer ${waId}`, id, hk(local), { type: 'text', text }));
    return id;
  }

  /** A customer message of another type (reaction, image...). */
  inboundOf(waId: string, local: string, body: InboundBody, id = `wamid.in.${waId}.${hk(local)}`): string {
    this.webhook.push(inboundPayload(SHOP, waId, `Customer ${waId}`, id, hk(local), body));
    return id;
  }

  /** An outbound message through the SCRM; returns its wamid. */
  outbound(waId: string, local: string, kind: 'agent' | 'bot' | 'template', agentId: string | null, text = 'ok', id = `wamid.out.${waId}.${hk(local)}`): string {
    this.scrmLines.push(scrm.messageSent({ at: hk(local), wamid: id, phoneNumberId: SHOP.phoneNumberId, to: waId, agentId, kind, text, templateName: kind === 'template' ? 'order_update' : null, campaignId: null, conversationId: null }));
    return id;
  }

  /** An agent reply. */
  agent(waId: string, local: string, agentId: string, text = 'Thanks for waiting!'): string {
    return this.outbound(waId, local, 'agent', agentId, text);
  }

  /** A delivery status from Meta. */
  status(waId: string, wamid: string, status: 'sent' | 'delivered' | 'read' | 'failed', local: string): void {
    this.webhook.push(statusPayload(SHOP, [{ wamid, status, at: hk(local), recipient: waId, ...(status === 'failed' ? { error: { code: 131026, title: 'Message undeliverable' } } : {}) }]));
  }

  /** A customer clicking a link in an outbound message (SCRM link.clicked). */
  click(wamid: string, local: string): void {
    this.scrmLines.push(scrm.linkClicked(hk(local), wamid, 'https://shop.example.hk/promo'));
  }

  /** A ticket event of the SCRM. */
  ticket(type: 'assigned' | 'resolved' | 'reopened', ticketId: string, waId: string, local: string, agentId: string | null = null): void {
    this.scrmLines.push(scrm.conversationEvent(type, hk(local), ticketId, waId, agentId, SHOP.phoneNumberId));
  }

  /** A ticket event that does not name the business number (the thread is the customer's latest before it). */
  ticketWithoutNumber(type: 'assigned' | 'resolved', ticketId: string, waId: string, local: string, agentId: string | null = null): void {
    this.scrmLines.push(JSON.stringify({ type: `conversation.${type}`, at: new Date(hk(local)).toISOString(), conversation_id: ticketId, customer: waId, agent_id: agentId }));
  }

  /** A CSAT answer (names only the ticket). */
  csat(ticketId: string, local: string, score: number): void {
    this.scrmLines.push(scrm.csatAnswered(hk(local), ticketId, score));
  }

  /** An agent's name and team. */
  agentNamed(agentId: string, name: string, team: string, local = '2026-11-01 09:00:00'): void {
    this.scrmLines.push(scrm.agentUpserted(hk(local), agentId, name, team));
  }

  /** Writes what was added since the last load into new landing files and runs both sources. */
  async load(): Promise<void> {
    const part = ++this.part;
    const landing = this.wh.config.landingDir;
    for (const [folder, lines] of [['whatsapp', this.webhook], ['scrm', this.scrmLines]] as const) {
      fs.mkdirSync(path.join(landing, folder), { recursive: true });
      if (lines.length > 0) fs.writeFileSync(path.join(landing, folder, `part-${String(part).padStart(3, '0')}.ndjson`), `${lines.join('\n')}\n`);
    }
    this.webhook = [];
    this.scrmLines = [];
    for (const source of [whatsappCloudSource, scrmEventsSource]) {
      const run = await runSource(this.wh, source, { trigger: 'test' });
      if (run.status !== 'success' || run.rowsQuarantined > 0) throw new Error(`test data did not load cleanly: ${source.name} ${run.status} ${run.error ?? ''} (${run.rowsQuarantined} quarantined)`);
    }
  }

  /** Builds the warehouse with the clock at `now` (HK local). */
  async build(now = '2026-11-24 12:00:00', opts: WarehouseBuildOptions = {}): Promise<WarehouseBuild> {
    return buildWarehouse(this.wh, { now: () => new Date(hk(now)), ...opts });
  }
}
