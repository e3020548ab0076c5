import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.ts';

/** Roles a bearer token can carry (DESIGN section 7). */
export type Role = 'manager' | 'scheduler' | 'analyst' | 'admin';
export const ROLES: readonly Role[] = ['manager', 'scheduler', 'analyst', 'admin'];

/** Everything Parley reads from the environment, validated once and frozen. */
export interface Config {
  /** Warehouse file (PARLEY_DB). */
  readonly dbPath: string;
  /** Folder that holds the warehouse file, lock file and report archive. */
  readonly dataDir: string;
  /** Landing folder for file-based sources (PARLEY_LANDING). */
  readonly landingDir: string;
  /** Folder with the JSON config files (PARLEY_CONFIG_DIR, default: the shipped `config/`). */
  readonly configDir: string;
  /** Business timezone for local days, hours and ISO weeks (PARLEY_TZ). */
  readonly tz: string;
  /** Default region for phone numbers without `+` (PARLEY_REGION). */
  readonly region: string;
  readonly port: number;
  readonly host: string;
  /** token -> role; empty means the server is open and bound to loopback only. */
  readonly tokens: ReadonlyMap<string, Role>;
  /** Token the CLI sends to a running server (PARLEY_TOKEN). */
  readonly cliToken: string | undefined;
  /** Purge raw/staging older than this many days; undefined keeps everything. */
  readonly retentionDays: number | undefined;
  readonly whatsappAppSecret: string | undefined;
  readonly whatsappVerifyToken: string | undefined;
  /** Primary CRM API URL first, then backups (CRM_API_URL is comma-separated). */
  readonly crmApiUrls: readonly string[];
  readonly crmApiToken: string | undefined;
}

/** The folder of the Parley checkout (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): Config {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const dbPath = path.resolve(cwd, get('PARLEY_DB') ?? './data/parley.duckdb');
  const landingDir = path.resolve(cwd, get('PARLEY_LANDING') ?? './data/landing');
  const configDir = path.resolve(cwd, get('PARLEY_CONFIG_DIR') ?? path.join(PROJECT_ROOT, 'config'));

  const tz = get('PARLEY_TZ') ?? 'Asia/Hong_Kong';
  if (!isValidTimeZone(tz)) {
    throw new ConfigError('CFG_INVALID_ENV', `PARLEY_TZ="${tz}" is not an IANA timezone; use a name such as Asia/Hong_Kong or Asia/Seoul.`);
  }
  const region = (get('PARLEY_REGION') ?? 'HK').toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) {
    throw new ConfigError('CFG_INVALID_ENV', `PARLEY_REGION="${region}" must be a two-letter country code such as HK or KR.`);
  }
  const portText = get('PARLEY_PORT') ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('CFG_INVALID_ENV', `PARLEY_PORT="${portText}" must be a port number between 0 and 65535.`);
  }
  const host = get('PARLEY_HOST') ?? '127.0.0.1';

  const retentionText = get('PARLEY_RETENTION_DAYS');
  let retentionDays: number | undefined;
  if (retentionText !== undefined) {
    retentionDays = Number(retentionText);
    if (!Number.isInteger(retentionDays)) {
      throw new ConfigError('CFG_INVALID_ENV', `PARLEY_RETENTION_DAYS="${retentionText}" must be a whole number of days.`);
    }
    if (retentionDays < 180) {
      throw new ConfigError('CFG_INVALID_ENV', `PARLEY_RETENTION_DAYS=${retentionDays} is refused: chat history is kept at least 180 days. Unset it to keep everything.`);
    }
  }

  const crmApiUrls = (get('CRM_API_URL') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of crmApiUrls) {
    if (!/^https?:\/\//.test(u)) {
      throw new ConfigError('CFG_INVALID_ENV', `CRM_API_URL entry "${u}" must start with http:// or https://.`);
    }
  }

  return Object.freeze({
    dbPath,
    dataDir: path.dirname(dbPath),
    landingDir,
    configDir,
    tz,
    region,
    port,
    host,
    tokens: parseTokens(get('PARLEY_TOKENS')),
    cliToken: get('PARLEY_TOKEN'),
    retentionDays,
    whatsappAppSecret: get('WHATSAPP_APP_SECRET'),
    whatsappVerifyToken: get('WHATSAPP_VERIFY_TOKEN'),
    crmApiUrls: Object.freeze(crmApiUrls),
    crmApiToken: get('CRM_API_TOKEN'),
  });
}

/** Parses `token:role,token:role`. */
function parseTokens(text: string | undefined): ReadonlyMap<string, Role> {
  const tokens = new Map<string, Role>();
  if (!text) return tokens;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const token = i > 0 ? part.slice(0, i) : '';
    const role = part.slice(i + 1) as Role;
    if (!token || !ROLES.includes(role)) {
      throw new ConfigError('CFG_INVALID_ENV', `PARLEY_TOKENS entry "${part}" must be token:role with role one of ${ROLES.join(', ')}.`);
    }
    tokens.set(token, role);
  }
  return tokens;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A config for tests and tools: defaults plus overrides, paths under `dir`. */
export function configFor(dir: string, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ PARLEY_DB: path.join(dir, 'parley.duckdb'), PARLEY_LANDING: path.join(dir, 'landing'), ...env }, dir);
}
