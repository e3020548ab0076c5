import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildDashboardIfStale, launchChromium, layoutShift, screenshot, startServe, watchProblems, type PageProblems, type ServeProcess } from './browser-harness.ts';

// The built dashboard in headless chromium against `parley serve` with a small demo:
// every page loads with no console errors and shows real data from the marts.

let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let tables: Set<string>;

beforeAll(async () => {
  buildDashboardIfStale();
  [serve, browser] = await Promise.all([startServe({ days: 84, customers: 600 }), launchChromium()]);
  const schema = (await (await fetch(`${serve.url}/api/schema`)).json()) as { tables: { schema: string; name: string }[] };
  tables = new Set(schema.tables.map((t) => `${t.schema}.${t.name}`));
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}, 150_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
});

/** Opens a dashboard route in a fresh tab and starts recording its problems. */
async function open(route: string, query = ''): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${serve.url}/${query}#${route}`);
  return { page, problems };
}

/**
 * No uncaught exception, no console error, and every failed API answer is a mart that is
 * really not built yet in this warehouse (503 API_MART_NOT_BUILT naming missing tables).
 */
async function expectClean(problems: PageProblems, allowed: readonly string[] = []): Promise<void> {
  expect(problems.exceptions).toEqual([]);
  expect(problems.console).toEqual([]);
  for (const r of problems.failedResponses) {
    const body = r.body || (r.method === 'GET' ? await (await fetch(r.url)).text() : '');
    const code = (JSON.parse(body || '{}') as { error?: { code?: string; message?: string } }).error;
    if (code?.code && allowed.includes(code.code)) continue;
    expect({ url: r.url, status: r.status, code: code?.code }).toEqual({ url: r.url, status: 503, code: 'API_MART_NOT_BUILT' });
    const named = code?.message?.match(/\b(?:marts|ops)\.\w+/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    for (const t of named) expect(tables.has(t), `${t} is built, yet ${r.url} said it is not`).toBe(false);
  }
}

const built = (...names: string[]) => names.every((n) => tables.has(n));

describe('dashboard in chromium', () => {
  it('serves the built dashboard at /', async () => {
    const res = await fetch(`${serve.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
  });

  it('Overview shows the week\'s median response against its target, and freshness, without layout jumps', async () => {
    const { page, problems } = await open('/');
    await page.getByTestId('health-banner').waitFor();
    expect(await page.getByTestId('health-banner').innerText()).toMatch(/Newest data .* ago/);
    if (built('marts.rpt_service_efficiency_weekly')) {
      const median = page.getByTestId('kpi-median');
      await median.waitFor();
      expect(await median.innerText()).toMatch(/^(\d+m \d{2}s|\d+s)$/);
    }
    await page.waitForLoadState('networkidle');
    expect(await layoutShift(page)).toBeLessThan(0.1);
    await screenshot(page, 'overview');
    // On a phone nothing may stick out sideways (charts resize once their observer fires).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, undefined, { timeout: 10_000 });
    await screenshot(page, 'overview-phone');
    await expectClean(problems);
    await page.close();
  });

  it('the service-efficiency report shows a median in minutes and seconds, agents, trends and a CSV', async () => {
    expect(built('marts.rpt_service_efficiency_weekly', 'marts.agg_agent_response_weekly')).toBe(true);
    const { page, problems } = await open('/reports/service-efficiency');
    const median = page.getByTestId('report-median');
    await median.waitFor();
    expect(await median.innerText()).toMatch(/^\d+m \d{2}s$/);
    await page.getByTestId('agent-table').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('agent-table').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByTestId('trend-median_response_seconds').locator('svg').first().waitFor();
    const week = await page.getByTestId('week-picker').inputValue();
    expect(week).toMatch(/^\d{4}-W\d{2}$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`service-efficiency-${week}.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('median_response_seconds');
    expect(csv).toContain(week);
    await screenshot(page, 'report-service-efficiency');
    await expectClean(problems);
    await page.close();
  });

  it.each(['sales-funnel', 'cost-efficiency'])('the %s report shows its week or says it is not built', async (kind) => {
    const { page, problems } = await open(`/reports/${kind}`);
    const table = `marts.rpt_${kind.replace('-', '_')}_weekly`;
    if (built(table)) await page.getByTestId('report-kpis').waitFor();
    else await page.getByText('Not built yet').first().waitFor();
    await screenshot(page, `report-${kind}`);
    await expectClean(problems);
    await page.close();
  });

  it('Staffing draws 168 weekday-hour cells with real volume, medians and agents', async () => {
    expect(built('marts.agg_staffing_hourly', 'marts.fct_responses')).toBe(true);
    const { page, problems } = await open('/staffing');
    const cells = page.getByTestId('heatmap-cell');
    await cells.first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await layoutShift(page)).toBeLessThan(0.1);
    for (const mode of ['Inbound volume', 'Median response', 'Recommended agents']) {
      await page.getByRole('button', { name: mode }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="heatmap-cell"]').length === 168);
      expect(await cells.count()).toBe(168);
      const values = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value') || 0)));
      expect(values.some((v) => v > 0)).toBe(true);
      await screenshot(page, `staffing-${mode.toLowerCase().replaceAll(' ', '-')}`);
    }
    expect(await page.getByText('Times in Asia/Hong_Kong').count()).toBeGreaterThan(0);
    await expectClean(problems);
    await page.close();
  });

  it('Keywords lists the week\'s keywords or says they are not built', async () => {
    const { page, problems } = await open('/keywords');
    if (built('marts.agg_keywords_weekly')) {
      await page.getByTestId('keyword-list').locator('li').first().waitFor();
      expect(await page.getByTestId('keyword-list').locator('li').count()).toBeGreaterThan(0);
      // Picking a tag draws its weekly trend.
      if (built('marts.agg_tags_weekly')) {
        await page.getByTestId('tag-list').locator('button').first().click();
        await page.getByTestId('trend-share').locator('svg').first().waitFor();
      }
    } else await page.getByText('Not built yet').first().waitFor();
    await screenshot(page, 'keywords');
    await expectClean(problems);
    await page.close();
  });

  it('Funnel shows stages and cohorts or says they are not built', async () => {
    const { page, problems } = await open('/funnel');
    if (built('marts.agg_funnel_weekly')) {
      await page.getByTestId('cohort-table').locator('tbody tr').first().waitFor();
      expect(await page.getByTestId('funnel-stages').locator('li').count()).toBeGreaterThan(1);
    } else await page.getByText('Not built yet').first().waitFor();
    await screenshot(page, 'funnel');
    await expectClean(problems);
    await page.close();
  });

  it('Churn lists customers at risk and opens a timeline on click, or says it is not built', async () => {
    const { page, problems } = await open('/churn');
    if (built('marts.churn_scores')) {
      const first = page.getByTestId('churn-table').locator('tbody tr').first();
      await first.waitFor();
      await first.click();
      if (built('marts.dim_customers', 'marts.fct_messages')) {
        await page.getByTestId('customer-timeline').waitFor();
        expect(await page.getByTestId('customer-timeline').locator('li').count()).toBeGreaterThan(0);
      } else await page.getByText('Not built yet').first().waitFor();
    } else await page.getByText('Not built yet').first().waitFor();
    await screenshot(page, 'churn');
    await expectClean(problems);
    await page.close();
  });

  it('the SQL console runs a query with Ctrl+Enter, shows rows, flags truncation and keeps history', async () => {
    const { page, problems } = await open('/sql');
    await page.getByTestId('schema-browser').waitFor();
    expect(await page.getByTestId('schema-browser').innerText()).toContain('staging.stg_messages');
    const editor = page.getByTestId('sql-editor');
    await editor.fill('select direction, count(*) as messages from staging.stg_messages group by all order by all');
    await editor.press('Control+Enter');
    await page.getByTestId('sql-summary').waitFor();
    expect(await page.getByTestId('sql-row').count()).toBe(2);
    expect(await page.getByTestId('sql-results').innerText()).toContain('inbound');
    expect(await page.getByTestId('sql-truncated').count()).toBe(0);

    await editor.fill('select range as n from range(5000)');
    await page.getByTestId('sql-run').click();
    await page.getByTestId('sql-truncated').waitFor();
    expect(await page.getByTestId('sql-truncated').innerText()).toContain('Truncated at 1,000 rows');
    expect(await page.getByTestId('sql-row').count()).toBe(1000);
    expect(await page.getByTestId('sql-history').locator('li').count()).toBe(2);
    await screenshot(page, 'sql-console');
    await expectClean(problems);
    await page.close();
  });

  it('the SQL console cancels a slow query on the server, and the next query still runs', async () => {
    const { page, problems } = await open('/sql');
    const editor = page.getByTestId('sql-editor');
    await editor.fill('select sum(a.range * b.range) from range(100000000) as a, range(100000) as b');
    await page.getByTestId('sql-run').click();
    await page.getByTestId('sql-running').waitFor();
    await page.getByTestId('sql-cancel').click();
    const cancelled = page.getByTestId('sql-cancelled');
    await cancelled.waitFor({ timeout: 20_000 });
    // "server": the query was interrupted by DELETE /api/sql/:id and answered 409 API_SQL_CANCELLED.
    expect(await cancelled.getAttribute('data-how')).toBe('server');
    expect(problems.failedResponses.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([409]);
    await editor.fill('select 42 as answer');
    await page.getByTestId('sql-run').click();
    await page.getByTestId('sql-summary').waitFor();
    expect(await page.getByTestId('sql-results').innerText()).toContain('42');
    // A DELETE sent before the server started the query answers 404 and is asked again.
    await expectClean(problems, ['API_SQL_CANCELLED', 'API_NOT_FOUND']);
    await page.close();
  });

  it('Pipelines shows sources, runs, quality and the quarantined records behind a group', async () => {
    const { page, problems } = await open('/pipelines');
    await page.getByTestId('sources-table').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('sources-table').innerText()).toContain('whatsapp-cloud');
    expect(await page.getByTestId('runs-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    const group = page.getByTestId('quarantine-groups').locator('tbody tr').first();
    await group.click();
    await page.getByTestId('quarantine-records').locator('li').first().waitFor();
    expect(await page.getByTestId('quarantine-records').innerText()).toContain('landing');
    if (built('ops.dq_results')) await page.getByTestId('quality-table').waitFor();
    await screenshot(page, 'pipelines');
    await expectClean(problems);
    await page.close();
  });

  it('speaks Korean with ?lang=ko, durations included', async () => {
    const { page, problems } = await open('/reports/service-efficiency', '?lang=ko');
    await page.getByTestId('report-median').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    expect(await page.getByRole('navigation').first().innerText()).toContain('주간 보고서');
    expect(await page.getByTestId('report-median').innerText()).toMatch(/^\d+분 \d{2}초$/);
    await screenshot(page, 'report-service-efficiency-ko');
    await expectClean(problems);
    await page.close();
  });

  it('every page is reachable from the keyboard: Tab reaches each navigation link', async () => {
    const { page } = await open('/');
    await page.getByTestId('health-banner').waitFor();
    const reached = new Set<string>();
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      const h = await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.getAttribute('href') ?? '');
      if (h.startsWith('#/')) reached.add(h);
    }
    for (const route of ['#/', '#/reports', '#/staffing', '#/keywords', '#/funnel', '#/churn', '#/sql', '#/pipelines']) expect(reached.has(route), route).toBe(true);
    await page.close();
  });
});

describe('dashboard against a token-protected server', () => {
  let locked: ServeProcess;
  beforeAll(async () => {
    locked = await startServe({ days: 7, customers: 120, env: { PARLEY_TOKENS: 'analyst-secret:analyst,admin-secret:admin' }, readyStatus: 401 });
  }, 120_000);
  afterAll(async () => {
    await locked?.stop();
  });

  it('asks for a token once, keeps it for the session, and reloads the data with it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await page.goto(`${locked.url}/#/pipelines`);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Token').fill('admin-secret');
    // A 401 answered while the dialog is open (another view's request) keeps what was typed.
    const late401 = page.waitForResponse((r) => r.status() === 401);
    await page.evaluate(() => {
      location.hash = '#/churn';
    });
    await late401;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await dialog.getByLabel('Token').inputValue()).toBe('admin-secret');
    await page.evaluate(() => {
      location.hash = '#/pipelines';
    });
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await page.getByTestId('sources-table').locator('tbody tr').first().waitFor();
    expect(await dialog.count()).toBe(0);
    // The token lasts for the tab: a reload does not ask again.
    await page.reload();
    await page.getByTestId('sources-table').locator('tbody tr').first().waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('parley.token'))).toBe('admin-secret');
    await screenshot(page, 'token-pipelines');
    expect(problems.exceptions).toEqual([]);
    // Before the token: 401s. After it, only marts that are not built yet may fail.
    expect(problems.failedResponses.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    for (const r of problems.failedResponses.filter((x) => x.status !== 401)) {
      const body = r.body || (await (await fetch(r.url, { headers: { authorization: 'Bearer admin-secret' } })).text());
      expect([r.url, r.status, (JSON.parse(body) as { error: { code: string } }).error.code]).toEqual([r.url, 503, 'API_MART_NOT_BUILT']);
    }

    // An analyst's token may not see the pipelines page: it says so instead of failing.
    await page.evaluate(() => sessionStorage.setItem('parley.token', 'analyst-secret'));
    await page.reload();
    await page.getByText("Your token's role cannot see this.").first().waitFor();
    await ctx.close();
  });
});
