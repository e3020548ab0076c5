import type { Warehouse } from '../../warehouse/db.ts';

/** Rows of table `a` not in table `b` plus the other way round, duplicates counted (EXCEPT ALL both ways). */
export async function differences(wh: Warehouse, a: string, b: string): Promise<number> {
  const [row] = await wh.query<{ n: number }>(
    `select (select count(*) from (select * from ${a} except all select * from ${b}))
          + (select count(*) from (select * from ${b} except all select * from ${a})) as n`,
  );
  return Number(row!.n);
}
