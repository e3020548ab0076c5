import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import type { HubSpotObject } from '../../pipelines/crm/hubspot-client.ts';

/** What a scripted answer does instead of the normal one: write a response, or never answer. */
export type Misbehaviour = ((res: http.ServerResponse) => void) | 'hang';

/** A HubSpot-compatible CRM on 127.0.0.1 for tests: list pages, single objects, bearer token. */
export interface FakeCrm {
  readonly url: string;
  contacts: HubSpotObject[];
  deals: HubSpotObject[];
  /** Request paths and queries, in order. */
  readonly requests: string[];
  /** The next request whose URL matches gets this answer instead (first match, used once). */
  misbehave(match: (url: string) => boolean, what: Misbehaviour, times?: number): void;
  close(): Promise<void>;
}

/** Starts a fake CRM; `token` is the bearer token it accepts (401 otherwise). */
export async function startFakeCrm(opts: { token?: string; contacts?: HubSpotObject[]; deals?: HubSpotObject[] } = {}): Promise<FakeCrm> {
  const script: { match: (url: string) => boolean; what: Misbehaviour; left: number }[] = [];
  const requests: string[] = [];
  const crm = { contacts: opts.contacts ?? [], deals: opts.deals ?? [] } as { contacts: HubSpotObject[]; deals: HubSpotObject[] };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const scripted = script.find((s) => s.left > 0 && s.match(url));
    if (scripted) {
      scripted.left--;
      if (scripted.what === 'hang') return; // the client has to time out
      scripted.what(res);
      return;
    }
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"error","message":"The OAuth token used to make this call expired"}');
      return;
    }
    const u = new URL(url, 'http://x');
    const m = /^\/crm\/v3\/objects\/(contacts|deals)(?:\/([^/]+))?$/.exec(u.pathname);
    if (!m) {
      res.writeHead(404).end('{}');
      return;
    }
    const all = crm[m[1] as 'contacts' | 'deals'];
    if (m[2] !== undefined) {
      const found = all.find((o) => o.id === decodeURIComponent(m[2]!));
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? { status: 'error', message: 'Object not found' }));
      return;
    }
    const limit = Number(u.searchParams.get('limit') ?? 10);
    const after = Number(u.searchParams.get('after') ?? 0);
    const page = all.slice(after, after + limit);
    const body = { results: page, ...(after + limit < all.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}) };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get contacts() {
      return crm.contacts;
    },
    set contacts(v) {
      crm.contacts = v;
    },
    get deals() {
      return crm.deals;
    },
    set deals(v) {
      crm.deals = v;
    },
    requests,
    misbehave(match, what, times = 1) {
      script.push({ match, what, left: times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A config folder with the shipped JSON files, `crm_mapping.json`'s `api` changed by `api`. */
export function testConfigDir(dir: string, api: Record<string, unknown> = {}): string {
  const out = path.join(dir, 'config');
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(path.join(PROJECT_ROOT, 'config')).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(PROJECT_ROOT, 'config', f), path.join(out, f));
  }
  const mapping = JSON.parse(fs.readFileSync(path.join(out, 'crm_mapping.json'), 'utf8')) as { api: Record<string, unknown> };
  mapping.api = { ...mapping.api, ...api };
  fs.writeFileSync(path.join(out, 'crm_mapping.json'), JSON.stringify(mapping, null, 2));
  return out;
}
