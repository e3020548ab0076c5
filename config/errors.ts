import { ParleyError } from './parley-error.ts';

/** Codes of configuration errors. */
export const ConfigErrorCodes = {
  CFG_INVALID_ENV: 'An environment variable has a value Parley cannot use.',
  CFG_INVALID_FILE: 'A JSON file in the config folder is missing, unreadable or does not match its schema.',
} as const;

/** A configuration problem found at start; always a usage error (exit code 2). */
export class ConfigError extends ParleyError {
  constructor(code: keyof typeof ConfigErrorCodes, message: string) {
    super(code, message, { exitCode: 2, httpStatus: 500 });
    this.name = 'ConfigError';
  }
}
