import fs from 'node:fs';
import path from 'node:path';
import { toE164 } from '../phones.ts';
import { NAMES } from './catalog.ts';
import { csvLine, dmyDate, isoLocalDateTime, usDate, usDateTime } from './crm-format.ts';
import type { DemoWorld, DemoWriter } from './demo-writer.ts';
import { addDays, localMidnightUtc } from './local-time.ts';
import { Random } from './random.ts';
import type { DemoDeal } from './simulate.ts';
import type { DemoCustomer } from './world.ts';

const DAY = 86_400_000;
type Stage = DemoDeal['stages'][number]['stage'];

/** A CRM contact record the shop keeps (one per customer, plus the duplicates). */
interface CrmContact {
  readonly id: string;
  readonly customer: DemoCustomer;
  readonly waId: string;
  readonly name: string;
  readonly tier: string;
  readonly email: string;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

/** A deal as the CRM holds it, tied to a contact record. */
interface CrmDeal {
  readonly id: string;
  readonly contact: CrmContact;
  readonly deal: DemoDeal;
  readonly productName: string;
  readonly stages: DemoDeal['stages'];
}

const SF_STAGE: Record<Stage, string> = { quoted: 'Proposal/Price Quote', ordered: 'Order Placed', paid: 'Closed Won', lost: 'Closed Lost' };
const ZOHO_STAGE: Record<Stage, string> = { quoted: 'Quote Sent', ordered: 'Ordered', paid: 'Paid', lost: 'Closed Lost' };
const HK_DISTRICTS = ['Taikoo Shing', 'Mong Kok', 'Tsuen Wan', 'Sha Tin', 'Tseung Kwan O', 'Kowloon Tong', 'Causeway Bay'];
const HK_REGIONS = ['Hong Kong Island', 'Kowloon', 'New Territories'];
const KR_STREETS = ['Teheran-ro, Gangnam-gu', 'Olympic-ro, Songpa-gu', 'Sejong-daero, Jung-gu', 'Haeundae-ro, Haeundae-gu'];

/**
 * CRM exports of the demo shop into `landing/crm/`: Hong Kong customers in Salesforce
 * (comma CSV, CRLF, en-US dates), Korean ones in Zoho (`;` CSV with a BOM, as Excel saves
 * it in a European locale), each with contacts, deals and stage history. With realistic
 * flaws: empty tiers, names spelled differently from WhatsApp, the same person again under
 * a second number buying the same SKU, products the catalog does not know, a bad phone
 * number and an amount nobody filled in.
 */
export const crmCsvWriter: DemoWriter = {
  name: 'crm-csv',
  write(world, landingDir) {
    const rng = new Random(`parley-demo-crm-${world.params.seed}`);
    const endMs = localMidnightUtc(world.params.end, world.params.tz);
    const startMs = localMidnightUtc(addDays(world.params.end, -world.params.days), world.params.tz);
    const dealsBy = new Map<number, DemoDeal[]>();
    // A deal whose quote lies after the window's end has not happened yet.
    for (const d of world.deals) if (d.stages.length > 0) dealsBy.set(d.customer.index, [...(dealsBy.get(d.customer.index) ?? []), d]);
    const usedNumbers = new Set(world.customers.map((c) => c.waId));

    const contacts: CrmContact[] = [];
    const deals: CrmDeal[] = [];
    let dealSeq = 0;
    for (const c of world.customers) {
      const own = dealsBy.get(c.index) ?? [];
      if (own.length === 0 && !rng.chance(0.5)) continue;
      const hk = c.number.country === 'HK';
      const paid = own.filter((d) => d.stages.some((s) => s.stage === 'paid')).length;
      const tierName = paid >= 2 ? 'VIP' : paid === 1 ? 'Regular' : 'New Customer';
      const createdAt = c.firstDay === 0 ? startMs - rng.int(1, 400) * DAY - rng.int(0, DAY - 1) : startMs + c.firstDay * DAY + rng.int(8, 20) * 3_600_000;
      const lastDealAt = Math.max(0, ...own.flatMap((d) => d.stages.map((s) => s.at)));
      const modifiedAt = Math.min(endMs - 60_000, Math.max(createdAt + rng.int(1, 30) * DAY, lastDealAt + rng.int(1, 120) * 60_000));
      const contact: CrmContact = {
        id: hk ? `0035g00000${c.index.toString(36).toUpperCase().padStart(6, '0')}` : `5725767000000${String(100000 + c.index)}`,
        customer: c,
        waId: c.waId,
        name: rng.chance(0.03) ? misspell(c.name) : c.name,
        tier: rng.chance(0.06) ? '' : tierName,
        email: rng.chance(0.1) ? '' : emailFor(c),
        createdAt,
        modifiedAt,
      };
      contacts.push(contact);
      for (const d of own) deals.push({ id: dealId(hk, ++dealSeq), contact, deal: d, productName: rng.chance(0.01) ? (hk ? 'Gift Card HK$500' : '기프트 카드 5만원') : d.productName, stages: d.stages });

      // The same person under a second number, buying the same SKU again within weeks.
      const bought = own.find((d) => d.stages.some((s) => s.stage === 'ordered'));
      if (bought && rng.chance(0.06)) {
        const waId = secondNumber(c, usedNumbers);
        if (waId === undefined) continue;
        const orderedAt = bought.stages.find((s) => s.stage === 'ordered')!.at;
        let at = orderedAt + rng.int(5, 60) * DAY;
        if (at > endMs - DAY) at = orderedAt - rng.int(5, 60) * DAY;
        const twin: CrmContact = { ...contact, id: hk ? `0035g00001${c.index.toString(36).toUpperCase().padStart(6, '0')}` : `5725767000001${String(100000 + c.index)}`, waId, name: rng.chance(0.5) ? c.name : misspell(c.name), tier: 'New Customer', email: '', createdAt: at - DAY, modifiedAt: at + 3_600_000 };
        contacts.push(twin);
        const stages: DemoDeal['stages'] = [{ stage: 'quoted', at: at - DAY }, { stage: 'ordered', at }, { stage: 'paid', at: at + 600_000 }];
        deals.push({ id: dealId(hk, ++dealSeq), contact: twin, deal: { ...bought, customer: c, stages }, productName: bought.productName, stages });
      }
    }
    const hkContacts = contacts.filter((c) => c.customer.number.country === 'HK');
    const krContacts = contacts.filter((c) => c.customer.number.country !== 'HK');
    // One contact whose number was typed wrong: it goes to quarantine.
    if (hkContacts.length > 0) hkContacts.push({ ...hkContacts[0]!, id: '0035g00000ZZZZZZ', waId: '12345', name: 'Test Record' });

    const sfDir = path.join(landingDir, 'crm', 'salesforce');
    const zohoDir = path.join(landingDir, 'crm', 'zoho');
    fs.mkdirSync(sfDir, { recursive: true });
    fs.mkdirSync(zohoDir, { recursive: true });
    const tz = world.params.tz;
    const kst = 'Asia/Seoul';
    const files: string[] = [];
    const write = (file: string, lines: string[], eol: string, bom = false) => {
      fs.writeFileSync(file, `${bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`);
      files.push(file);
    };
    const hkDeals = deals.filter((d) => d.contact.customer.number.country === 'HK');
    const krDeals = deals.filter((d) => d.contact.customer.number.country !== 'HK');
    const end = world.params.end;

    write(path.join(sfDir, `contacts-${end}.csv`), [
      csvLine(['Contact ID', 'First Name', 'Last Name', 'Mobile', 'Email', 'Customer Tier', 'Mailing Street', 'Mailing City', 'Mailing Zip/Postal Code', 'Mailing Country', 'Created Date', 'Last Modified Date'], ','),
      ...hkContacts.map((c) => {
        const [first, last] = splitName(c.name);
        const r = new Random(c.id);
        const street = `Flat ${r.int(1, 40)}${'ABCDEFGH'[r.int(0, 7)]}, ${r.int(2, 45)}/F, Block ${r.int(1, 12)}\n${r.pick(HK_DISTRICTS)}`;
        return csvLine([c.id, first, last, formatHkPhone(c.waId, r), c.email, c.tier, street, r.pick(HK_REGIONS), '', r.chance(0.7) ? 'Hong Kong' : 'HK', usDateTime(c.createdAt, tz), usDateTime(c.modifiedAt, tz)], ',');
      }),
    ], '\r\n');
    write(path.join(sfDir, `opportunities-${end}.csv`), [
      csvLine(['Opportunity ID', 'Opportunity Name', 'Contact ID', 'Contact Mobile', 'Amount', 'Opportunity Currency', 'Stage', 'Product Name', 'Product Code', 'Quantity', 'Payment Method', 'Created Date', 'Close Date', 'Order Date', 'Payment Date', 'Last Modified Date'], ','),
      ...hkDeals.map((d, i) => {
        const at = (s: Stage) => d.stages.find((x) => x.stage === s)?.at;
        const last = d.stages.at(-1)!;
        const closed = at('paid') ?? at('lost');
        const amount = i === 7 ? 'TBC' : d.deal.amount.toLocaleString('en-US', { minimumFractionDigits: 2 });
        return csvLine([
          d.id, `${d.contact.name} - ${d.productName}`, d.contact.id, '', amount, d.deal.currency, SF_STAGE[last.stage], d.productName, i % 3 === 0 && d.productName === d.deal.productName ? d.deal.product.sku : '', d.deal.quantity,
          d.deal.paymentMethod === 'cod' ? 'Cash on Delivery' : 'Credit Card', usDateTime(d.stages[0]!.at, tz), closed === undefined ? '' : usDate(closed, tz),
          at('ordered') === undefined ? '' : usDateTime(at('ordered')!, tz), at('paid') === undefined ? '' : usDateTime(at('paid')!, tz), usDateTime(last.at + 120_000, tz),
        ], ',');
      }),
    ], '\r\n');
    write(path.join(sfDir, `opportunity-history-${end}.csv`), [
      csvLine(['Opportunity ID', 'From Stage', 'To Stage', 'Amount', 'Edit Date'], ','),
      ...hkDeals.flatMap((d) => d.stages.map((s, j) => csvLine([d.id, j === 0 ? '' : SF_STAGE[d.stages[j - 1]!.stage], SF_STAGE[s.stage], d.deal.amount.toFixed(2), usDateTime(s.at, tz)], ','))),
    ], '\r\n');

    write(path.join(zohoDir, `contacts-${end}.csv`), [
      csvLine(['Record Id', 'Full Name', 'Mobile', 'Email', 'Customer Tier', 'Mailing Street', 'Mailing City', 'Mailing Zip', 'Mailing Country', 'Created Time', 'Modified Time'], ';'),
      ...krContacts.map((c) => {
        const r = new Random(c.id);
        const zip = r.chance(0.9) ? String(r.int(10000, 63999)) : '';
        return csvLine([c.id, c.name, formatKrPhone(c.waId), c.email, c.tier, `${r.int(1, 500)} ${r.pick(KR_STREETS)}`, 'Seoul', zip, r.chance(0.5) ? 'South Korea' : '대한민국', isoLocalDateTime(c.createdAt, kst), isoLocalDateTime(c.modifiedAt, kst)], ';');
      }),
    ], '\n', true);
    write(path.join(zohoDir, `deals-${end}.csv`), [
      csvLine(['Record Id', 'Deal Name', 'Contact Name', 'Contact Name.id', 'Mobile', 'Amount', 'Currency', 'Stage', 'Product Name', 'Quantity', 'Payment Method', 'Created Time', 'Closing Date', 'Modified Time'], ';'),
      ...krDeals.map((d) => {
        const last = d.stages.at(-1)!;
        const closed = d.stages.find((s) => s.stage === 'paid' || s.stage === 'lost')?.at;
        return csvLine([
          d.id, `${d.productName} x${d.deal.quantity}`, d.contact.name, d.contact.id, formatKrPhone(d.contact.waId), d.deal.amount.toLocaleString('de-DE'), d.deal.currency, ZOHO_STAGE[last.stage], d.productName, d.deal.quantity,
          d.deal.paymentMethod === 'cod' ? '착불' : '카드', isoLocalDateTime(d.stages[0]!.at, kst), closed === undefined ? '' : dmyDate(closed, kst), isoLocalDateTime(last.at + 120_000, kst),
        ], ';');
      }),
    ], '\n', true);
    write(path.join(zohoDir, `stage-history-${end}.csv`), [
      csvLine(['Deal Id', 'Stage', 'Amount', 'Modified Time', 'Moved By'], ';'),
      ...krDeals.flatMap((d) => d.stages.map((s) => csvLine([d.id, ZOHO_STAGE[s.stage], d.deal.amount.toLocaleString('de-DE'), isoLocalDateTime(s.at, kst), 'Park Ji-won'], ';'))),
    ], '\n', true);
    return files;
  },
};

const dealId = (hk: boolean, n: number) => (hk ? `0065g00000${n.toString(36).toUpperCase().padStart(6, '0')}` : `5725767000002${String(100000 + n)}`);

/** First and last name the way a CRM form splits them. */
function splitName(name: string): [string, string] {
  const parts = name.split(' ');
  if (parts.length < 2) return ['', name];
  // "Mandy Chan" is given name first; "Chan Tai Man" and "Kim Min-jun" are surname first.
  if ((NAMES.EN_GIVEN as readonly string[]).includes(parts[0]!)) return [parts.slice(0, -1).join(' '), parts.at(-1)!];
  return [parts.slice(1).join(' '), parts[0]!];
}

/** One typo: the first vowel after the first letter changes. */
function misspell(name: string): string {
  const swap: Record<string, string> = { a: 'e', e: 'a', i: 'y', o: 'u', u: 'o', y: 'i' };
  const i = [...name].findIndex((ch, j) => j > 0 && ch in swap);
  if (i === -1) return `${name}.`;
  return name.slice(0, i) + swap[name[i]!]! + name.slice(i + 1);
}

function emailFor(c: DemoCustomer): string {
  const latin = c.name.toLowerCase().replace(/[^a-z ]/g, '').trim();
  return latin === '' ? `customer${c.index}@example.kr` : `${latin.split(/\s+/).join('.')}${c.index}@example.com`;
}

/** A second valid number for the same person, not used by anyone else. */
function secondNumber(c: DemoCustomer, used: Set<string>): string | undefined {
  for (let k = 0; k < 20; k++) {
    const n = (c.index * 7919 + 424_242 + k * 104_729) % 1_000_000;
    const waId = c.number.country === 'HK' ? `85298${String(n).padStart(6, '0')}` : `82109${String(n * 7 + 1_234_567).padStart(7, '0').slice(-7)}`;
    if (!used.has(waId) && toE164(waId, 'HK', true) !== undefined) {
      used.add(waId);
      return waId;
    }
  }
  return undefined;
}

/** HK mobile numbers the way people type them into a CRM. */
function formatHkPhone(waId: string, r: Random): string {
  if (!waId.startsWith('852')) return waId;
  const n = waId.slice(3);
  return r.pick([`+852 ${n.slice(0, 4)} ${n.slice(4)}`, `${n.slice(0, 4)} ${n.slice(4)}`, `(852) ${n.slice(0, 4)}-${n.slice(4)}`, n]);
}

/** Korean mobile numbers with the country code (PARLEY_REGION is HK, so `010-...` alone would not parse). */
function formatKrPhone(waId: string): string {
  const n = waId.slice(2);
  return `+82 ${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6)}`;
}
