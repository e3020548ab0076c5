export { loadConfig, configFor, PROJECT_ROOT, ROLES } from './config.ts';
export type { Config, Role } from './config.ts';
export { readJsonConfig } from './json-config.ts';
export { ConfigError, ConfigErrorCodes } from './errors.ts';
export { ParleyError, isParleyError, errorMessage } from './parley-error.ts';
