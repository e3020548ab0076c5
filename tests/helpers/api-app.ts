import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../api/app.ts';
import type { ApiApp } from '../../api/app-context.ts';
import type { Config } from '../../config/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { tempWarehouse } from './temp-warehouse.ts';

/** One token per role, as PARLEY_TOKENS sets them in the API tests. */
export const TOKENS = { manager: 'tok-manager-1', scheduler: 'tok-scheduler-1', analyst: 'tok-analyst-1', admin: 'tok-admin-1' } as const;

/** The webhook secrets of the API tests. */
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';

/** Environment of an API test: tokens for every role and the webhook secrets. */
export const API_ENV = {
  PARLEY_TOKENS: Object.entries(TOKENS).map(([role, token]) => `${token}:${role}`).join(','),
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
};

/** An app over a fresh temp warehouse, checking every JSON answer against its schema. */
export async function testApp(deps: Partial<AppDeps> = {}, env: Record<string, string> = API_ENV): Promise<{ app: ApiApp; wh: Warehouse; config: Config; dir: string }> {
  const { dir, config, wh } = await tempWarehouse(env);
  const app = await buildApp({ config, warehouse: wh, validateResponses: true, ...deps });
  return { app, wh, config, dir };
}

/** Authorization header for a role. */
export const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });

/** The parsed JSON body of an answer. */
export const json = <T = Record<string, any>>(r: LightMyRequestResponse): T => JSON.parse(r.body) as T;
