import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentWeek, isoWeekOf, isValidWeek, lastCompleteWeek, weekBounds, weekMonday } from '../../warehouse/reports/iso-week.ts';
import { archiveRoot, listArchive, writeReportArchive } from '../../api/reports/report-archive.ts';
import type { ReportRenderers } from '../../api/reports/report-registry.ts';
import { weeklyReportsJob } from '../../api/reports/weekly-reports.job.ts';
import { silentLogger } from '../../pipelines/logger.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { as, json, testApp } from '../helpers/api-app.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A stub service-efficiency report, registered the way the report modules register theirs. */
const renderers: ReportRenderers = {
  'service-efficiency': async (wh, week) => {
    const [row] = await wh.query<{ tz: string }>(`select current_setting('TimeZone') as tz`);
    return {
      markdown: `# Service efficiency, ${week}\n\nMedian response: 2 min 51 s (${row!.tz}).\n`,
      csv: { columns: ['metric', 'value'], rows: [{ metric: 'median_response_seconds', value: 171 }, { metric: 'note', value: 'a, "quoted" note' }] },
      html: `<h1>Service efficiency, ${week}</h1>`,
    };
  },
  'cost-efficiency': async () => {
    throw new Error('rate card missing');
  },
};

describe('ISO weeks in the business timezone', () => {
  it.each([
    ['2026-11-16', '2026-W47'],
    ['2026-11-22', '2026-W47'],
    ['2026-11-23', '2026-W48'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2021-01-03', '2020-W53'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('knows which weeks exist and where they start', () => {
    expect([isValidWeek('2026-W53'), isValidWeek('2025-W53'), isValidWeek('2026-W00'), isValidWeek('2026-47')]).toEqual([true, false, false, false]);
    expect(weekMonday('2026-W47')).toBe('2026-11-16');
    expect(weekMonday('2026-W01')).toBe('2025-12-29');
    // Hong Kong is UTC+8: the week starts Sunday 16:00 UTC.
    expect(weekBounds('2026-W47', 'Asia/Hong_Kong')).toEqual({ start: new Date('2026-11-15T16:00:00Z'), end: new Date('2026-11-22T16:00:00Z') });
  });

  it('takes "last week" in PARLEY_TZ: Monday 01:00 in Hong Kong is still Sunday in UTC', () => {
    const mondayHk = new Date('2026-11-22T17:00:00Z');
    expect(currentWeek(mondayHk, 'Asia/Hong_Kong')).toBe('2026-W48');
    expect(lastCompleteWeek(mondayHk, 'Asia/Hong_Kong')).toBe('2026-W47');
    expect(lastCompleteWeek(mondayHk, 'UTC')).toBe('2026-W46');
  });
});

describe('weekly report archive', () => {
  afterAll(closeAllWarehouses);

  it('writes every registered report for a week as md, csv and html, and says what it could not write', async () => {
    const { wh, config } = await tempWarehouse();
    const root = archiveRoot(config.dataDir);
    const result = await writeReportArchive(wh, '2026-W47', renderers, root);
    expect(result.written.map((f) => path.relative(root, f))).toEqual(['2026-W47/service-efficiency.md', '2026-W47/service-efficiency.csv', '2026-W47/service-efficiency.html']);
    expect(result.missing).toEqual([
      { kind: 'sales-funnel', reason: 'no renderer registered' },
      { kind: 'cost-efficiency', reason: 'rate card missing' },
    ]);
    expect(fs.readFileSync(path.join(root, '2026-W47', 'service-efficiency.md'), 'utf8')).toBe('# Service efficiency, 2026-W47\n\nMedian response: 2 min 51 s (Asia/Hong_Kong).\n');
    expect(fs.readFileSync(path.join(root, '2026-W47', 'service-efficiency.csv'), 'utf8')).toBe('metric,value\r\nmedian_response_seconds,171\r\nnote,"a, ""quoted"" note"\r\n');
    expect(fs.readdirSync(path.join(root, '2026-W47')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await expect(writeReportArchive(wh, '2026-W99', renderers, root)).rejects.toThrow(/not an ISO week/);
  });

  it('runs on Monday 08:00 local for the week just ended, and fails (to be retried) when a renderer throws', async () => {
    const { wh, config } = await tempWarehouse();
    const clock = new FakeClock('2026-11-23T00:00:00Z'); // Monday 08:00 in Hong Kong
    const job = weeklyReportsJob({ wh, config, clock, log: silentLogger, renderers, schedule: '0 8 * * 1', retry: { attempts: 3, baseMs: 1000, maxMs: 1000 } });
    expect(job.schedule).toBe('0 8 * * 1');
    const outcome = await job.run(new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', error: 'cost-efficiency: rate card missing', details: { week: '2026-W47', files: 3 } });
    expect(listArchive(archiveRoot(config.dataDir)).map((w) => [w.week, w.files.map((f) => f.name)])).toEqual([['2026-W47', ['service-efficiency.csv', 'service-efficiency.html', 'service-efficiency.md']]]);
    const onlyStub = weeklyReportsJob({ wh, config, clock, log: silentLogger, renderers: { 'service-efficiency': renderers['service-efficiency'] }, schedule: '0 8 * * 1', retry: { attempts: 0, baseMs: 0, maxMs: 0 } });
    expect((await onlyStub.run(new AbortController().signal)).status).toBe('success');
  });

  it('lists the archive newest first and serves its files to managers', async () => {
    const { app, config } = await testApp({ reports: renderers });
    const root = archiveRoot(config.dataDir);
    await writeReportArchive((await tempWarehouse()).wh, '2026-W46', renderers, root);
    await writeReportArchive((await tempWarehouse()).wh, '2026-W47', renderers, root);
    fs.writeFileSync(path.join(root, '2026-W47', 'notes.txt'), 'not a report');
    const list = json(await app.inject({ url: '/api/reports/archive', headers: as('manager') }));
    expect(list.weeks.map((w: { week: string }) => w.week)).toEqual(['2026-W47', '2026-W46']);
    expect(list.weeks[0].files.map((f: { name: string; kind: string; format: string; url: string }) => [f.name, f.kind, f.format, f.url])).toEqual([
      ['service-efficiency.csv', 'service-efficiency', 'csv', '/api/reports/archive/2026-W47/service-efficiency.csv'],
      ['service-efficiency.html', 'service-efficiency', 'html', '/api/reports/archive/2026-W47/service-efficiency.html'],
      ['service-efficiency.md', 'service-efficiency', 'md', '/api/reports/archive/2026-W47/service-efficiency.md'],
    ]);
    const md = await app.inject({ url: '/api/reports/archive/2026-W47/service-efficiency.md', headers: as('manager') });
    expect([md.statusCode, md.headers['content-type'], md.headers['content-disposition']]).toEqual([200, 'text/markdown; charset=utf-8', 'attachment; filename="2026-W47-service-efficiency.md"']);
    expect(md.body).toMatch(/^# Service efficiency, 2026-W47/);
    for (const url of ['/api/reports/archive/2026-W47/notes.txt', '/api/reports/archive/2026-W47/..%2F..%2Fparley.duckdb', '/api/reports/archive/..%2F/service-efficiency.md']) {
      expect((await app.inject({ url, headers: as('manager') })).statusCode, url).toBe(400);
    }
    expect((await app.inject({ url: '/api/reports/archive/2026-W45/service-efficiency.md', headers: as('manager') })).statusCode).toBe(404);
    await app.close();
  });
});
