import fs from 'node:fs';
import path from 'node:path';
import { csvLine } from '../../pipelines/demo/crm-format.ts';

/** A Salesforce contact for test exports; dates as the export writes them (M/D/YYYY h:mm A or ISO). */
export interface TestContact {
  id: string;
  first: string;
  last: string;
  phone: string;
  email?: string;
  tier?: string;
  created: string;
  modified: string;
}

/** A Salesforce opportunity for test exports. */
export interface TestDeal {
  id: string;
  contactId: string;
  product: string;
  stage: 'Proposal/Price Quote' | 'Order Placed' | 'Closed Won' | 'Closed Lost';
  created: string;
  orderDate?: string;
  modified: string;
}

/** Writes Salesforce-style contacts and opportunities exports into `dir`; returns the files. */
export function writeSalesforceExport(dir: string, name: string, contacts: readonly TestContact[], deals: readonly TestDeal[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const contactsFile = path.join(dir, `${name}-contacts.csv`);
  const dealsFile = path.join(dir, `${name}-opportunities.csv`);
  fs.writeFileSync(
    contactsFile,
    [
      csvLine(['Contact ID', 'First Name', 'Last Name', 'Mobile', 'Email', 'Customer Tier', 'Created Date', 'Last Modified Date'], ','),
      ...contacts.map((c) => csvLine([c.id, c.first, c.last, c.phone, c.email ?? '', c.tier ?? '', c.created, c.modified], ',')),
    ].join('\r\n') + '\r\n',
  );
  fs.writeFileSync(
    dealsFile,
    [
      csvLine(['Opportunity ID', 'Contact ID', 'Amount', 'Opportunity Currency', 'Stage', 'Product Name', 'Payment Method', 'Created Date', 'Order Date', 'Last Modified Date'], ','),
      ...deals.map((d) => csvLine([d.id, d.contactId, '1,000.00', 'HKD', d.stage, d.product, 'Credit Card', d.created, d.orderDate ?? '', d.modified], ',')),
    ].join('\r\n') + '\r\n',
  );
  return [contactsFile, dealsFile];
}

/** One Meta webhook line: an inbound text from `waId` with a profile name at `at` (ISO). */
export function webhookText(waId: string, profileName: string, wamid: string, at: string, text = 'hello'): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' },
          contacts: [{ profile: { name: profileName }, wa_id: waId }],
          messages: [{ from: waId, id: wamid, timestamp: String(Date.parse(at) / 1000), type: 'text', text: { body: text } }],
        },
      }],
    }],
  });
}
