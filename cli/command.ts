import type { Config } from '../config/config.ts';
import type { Logger } from '../pipelines/logger.ts';

/** Option declarations in node:util parseArgs form. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean; multiple?: boolean }>;

/** What a command runs with. */
export interface CliContext {
  readonly config: Config;
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  readonly log: Logger;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/** Parsed arguments of a command. */
export interface CommandArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** One `parley <command>`. Returns the exit code (0 done, 1 failed). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  run(args: CommandArgs, ctx: CliContext): Promise<number>;
}
