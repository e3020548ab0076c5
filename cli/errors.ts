import { ParleyError } from '../config/parley-error.ts';

/** Codes of CLI errors. */
export const CliErrorCodes = {
  CLI_USAGE: 'The command line is not valid: unknown command, option or value.',
} as const;

/** Bad usage of the command line (exit code 2). */
export class UsageError extends ParleyError {
  constructor(message: string) {
    super('CLI_USAGE', message, { exitCode: 2, httpStatus: 400 });
    this.name = 'UsageError';
  }
}

/** Reads a whole-number option, or throws a usage error naming it. */
export function intOption(values: Record<string, string | boolean | undefined>, name: string, fallback: number, min = 1): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min} (got "${v}").`);
  return n;
}
