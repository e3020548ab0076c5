import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { render } from '../../warehouse/model-runner.ts';
import { prng } from '../helpers/prng.ts';
import { FIXTURES, tempWarehouse } from '../helpers/temp-warehouse.ts';

// int_customer_duplicate_groups finds connected components by label propagation. Before, it
// listed every (number, member) pair of a component with a recursive union, which grows with
// the square of a component's size and ran out of memory at scale M. That query is kept in
// tests/fixtures/previous-sql/ as the reference: on the same pairs both must give the same
// groups, the same sizes and the same merge decisions.

const MODEL = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'warehouse', 'models', 'staging', 'int_customer_duplicate_groups.sql');

const phone = (i: number) => `+8529${String(i).padStart(7, '0')}`;

/** Pairs as the pairs model writes them: the smaller number first, each pair once. */
function graph(seed: number): [string, string][] {
  const rand = prng(seed);
  const pairs = new Set<string>();
  const add = (a: number, b: number) => {
    if (a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    pairs.add(`${phone(x)}|${phone(y)}`);
  };
  // A long chain, numbered against its order so labels must travel both ways: 40 hops.
  for (let i = 0; i < 40; i++) add(1000 + ((i * 17) % 41), 1000 + (((i + 1) * 17) % 41));
  // A crowd: 30 people sharing one name, every two of them a pair.
  for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) add(2000 + i, 2000 + j);
  // Mergeable groups: pairs and complete triangles; and a triangle missing one edge.
  for (let g = 0; g < 10; g++) add(3000 + g * 3, 3001 + g * 3);
  for (let g = 0; g < 10; g++) {
    add(4000 + g * 3, 4001 + g * 3);
    add(4001 + g * 3, 4002 + g * 3);
    add(4000 + g * 3, 4002 + g * 3);
  }
  add(5000, 5001);
  add(5001, 5002);
  // Random sparse edges among 300 numbers: components of every shape, cycles included.
  for (let k = 0; k < 260; k++) add(6000 + Math.floor(rand() * 300), 6000 + Math.floor(rand() * 300));
  return [...pairs].map((p) => p.split('|') as [string, string]);
}

describe('int_customer_duplicate_groups: label propagation gives the groups of the recursive union', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });

  afterAll(async () => {
    await closeAllWarehouses();
  });

  for (const seed of [1, 2, 3]) {
    it(`agrees row for row on a chain, a crowd, small groups and random pairs (seed ${seed})`, async () => {
      const pairs = graph(seed);
      await wh.run('create or replace table staging.int_customer_duplicate_pairs (phone_e164 varchar, other_phone_e164 varchar)');
      await wh.run(`insert into staging.int_customer_duplicate_pairs values ${pairs.map(([a, b]) => `('${a}', '${b}')`).join(', ')}`);
      const current = render({ id: 'current', sql: fs.readFileSync(MODEL, 'utf8') }, {});
      const previous = render({ id: 'previous', sql: fs.readFileSync(path.join(FIXTURES, 'previous-sql', 'int_customer_duplicate_groups.reach.sql'), 'utf8') }, {});
      const rows = (sql: string) => wh.query<Record<string, unknown>>(`select * from (${sql}) order by phone_e164`);
      const now = await rows(current);
      const before = await rows(previous);
      expect(now.length).toBeGreaterThan(350);
      expect(now).toEqual(before);
      // The shapes above are really there: the chain is one group of 41, the crowd one of 30.
      const byPhone = new Map(now.map((r) => [r.phone_e164, r]));
      expect(Number(byPhone.get(phone(1040))!.group_phones)).toBe(41);
      expect(byPhone.get(phone(1040))!.group_id).toBe(phone(1000));
      expect(Number(byPhone.get(phone(2029))!.group_phones)).toBe(30);
      expect(byPhone.get(phone(4002))!.is_merged).toBe(true);
      expect(byPhone.get(phone(5002))!.is_merged).toBe(false);
    });
  }
});

// int_customer_duplicate_pairs compares only candidates within the 90 days and with name keys
// close enough in length, and takes each candidate from one block. The query it replaced
// compared every two buyers of a block and removed repeats with a UNION. On the same buyers
// both must find the same pairs with the same evidence.
describe('int_customer_duplicate_pairs: the pairs of the query without pre-filters', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });

  afterAll(async () => {
    await closeAllWarehouses();
  });

  /** Name keys with typos, shared heads or tails, different lengths, Hangul and Latin. */
  function nameKey(rand: () => number): string {
    const stems = ['chan ka yan', 'chan ho yin', 'chan mandy', 'chau mandy', 'chan wendy', 'kim minjun', 'kim minjin', 'lee seoyeon', '김민서', '김민지', '박서연', 'wong tai man', 'wong tai ming', 'a b'];
    let key = stems[Math.floor(rand() * stems.length)]!;
    const edits = Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * key.length);
      const op = rand();
      if (op < 0.4) key = key.slice(0, at) + key.slice(at + 1);
      else if (op < 0.8) key = key.slice(0, at) + 'xyz민'[Math.floor(rand() * 4)] + key.slice(at + 1);
      else key = key.slice(0, at) + 'ab'.slice(0, 1 + Math.floor(rand() * 2)) + key.slice(at);
    }
    return key.trim() === '' ? 'zz' : key;
  }

  for (const seed of [11, 12]) {
    it(`finds the same pairs with the same evidence (seed ${seed})`, async () => {
      const rand = prng(seed);
      await wh.run('create or replace table staging.stg_crm_deal_stages (vendor varchar, deal_id varchar, stage varchar, valid_from timestamptz)');
      await wh.run('create or replace table staging.stg_crm_deals (vendor varchar, deal_id varchar, phone_e164 varchar, sku varchar)');
      await wh.run('create or replace table staging.int_customer_names (phone_e164 varchar, name varchar, name_key varchar)');
      const stages: string[] = [];
      const deals: string[] = [];
      const names: string[] = [];
      for (let i = 0; i < 160; i++) {
        const p = phone(7000 + i);
        for (let n = 0, k = 1 + Math.floor(rand() * 2); n < k; n++) {
          const key = nameKey(rand);
          names.push(`('${p}', 'Name ${key}', '${key}')`);
        }
        for (let d = 0, k = 1 + Math.floor(rand() * 2); d < k; d++) {
          const id = `D${i}-${d}`;
          deals.push(`('hubspot', '${id}', '${p}', '${['SKU-A', 'SKU-B'][Math.floor(rand() * 2)]}')`);
          // Bought 0-200 days into the year; some deals never reach ordered.
          const day = Math.floor(rand() * 200);
          const stage = rand() < 0.85 ? ['ordered', 'paid'][Math.floor(rand() * 2)] : 'quoted';
          stages.push(`('hubspot', '${id}', '${stage}', timestamptz '2026-01-01 00:00:00+00' + interval ${day} day + interval ${Math.floor(rand() * 3)} minute)`);
        }
      }
      // Exactly 90 days apart, and 90 days and one minute.
      deals.push(`('hubspot', 'E1', '${phone(7500)}', 'SKU-A')`, `('hubspot', 'E2', '${phone(7501)}', 'SKU-A')`, `('hubspot', 'E3', '${phone(7502)}', 'SKU-A')`);
      stages.push(`('hubspot', 'E1', 'paid', timestamptz '2026-03-01 00:00:00+00')`, `('hubspot', 'E2', 'paid', timestamptz '2026-05-30 00:00:00+00')`, `('hubspot', 'E3', 'paid', timestamptz '2026-05-30 00:01:00+00')`);
      names.push(`('${phone(7500)}', 'Edge', 'edge case')`, `('${phone(7501)}', 'Edge', 'edge case')`, `('${phone(7502)}', 'Edge', 'edge casf')`);
      await wh.run(`insert into staging.stg_crm_deal_stages values ${stages.join(', ')}`);
      await wh.run(`insert into staging.stg_crm_deals values ${deals.join(', ')}`);
      await wh.run(`insert into staging.int_customer_names values ${names.join(', ')}`);
      // what the incremental model reads to find renamed numbers (a full build: since_load_id 0)
      await wh.run('create or replace table staging.stg_whatsapp_messages (load_id bigint, customer_phone_e164 varchar, profile_name varchar)');
      const current = render({ id: 'current', sql: fs.readFileSync(MODEL.replace('duplicate_groups', 'duplicate_pairs'), 'utf8') }, { since_load_id: '0' });
      const previous = render({ id: 'previous', sql: fs.readFileSync(path.join(FIXTURES, 'previous-sql', 'int_customer_duplicate_pairs.union.sql'), 'utf8') }, {});
      const rows = (sql: string) => wh.query<Record<string, unknown>>(`select * from (${sql}) order by phone_e164, other_phone_e164`);
      const now = await rows(current);
      expect(now.length).toBeGreaterThan(100);
      expect(now).toEqual(await rows(previous));
      const pairs = new Set(now.map((r) => `${String(r.phone_e164)}|${String(r.other_phone_e164)}`));
      expect(pairs.has(`${phone(7500)}|${phone(7501)}`)).toBe(true);
      expect(now.some((r) => r.phone_e164 === phone(7501) && r.other_phone_e164 === phone(7502) && Number(r.days_apart) < 0.01)).toBe(true);
      expect(now.some((r) => r.phone_e164 === phone(7500) && r.other_phone_e164 === phone(7502) && r.sku === 'SKU-A' && Number(r.days_apart) > 90)).toBe(false);
    });
  }
});
