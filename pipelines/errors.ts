import { ParleyError } from '../config/parley-error.ts';

/** Codes of pipeline errors, each with what it means. */
export const PipelineErrorCodes = {
  PIPE_UNKNOWN_SOURCE: 'No source has that name.',
  PIPE_BAD_PATH: 'The landing folder or --path is missing or unreadable.',
  PIPE_BAD_OPTION: 'A source option has a value the source cannot use.',
  PIPE_NO_BUSINESS_NAME: 'The whatsapp-export source needs the name your side uses in the chats: --business NAME or config/business.json.',
  PIPE_BAD_RECORD: 'A record could not be parsed; it went to quarantine.',
  PIPE_RUN_FAILED: 'A run failed; its batch was rolled back and the cursor is unchanged.',
  PIPE_ALREADY_RUNNING: 'The same pipeline is already running in this process.',
  PIPE_NOT_CONFIGURED: 'The source needs settings that are not set (e.g. crm-api without CRM_API_URL).',
  PIPE_CRM_API_AUTH: 'The CRM API refused the token (401/403): it is expired, revoked or wrong.',
  PIPE_CRM_API_FAILED: 'The CRM API kept failing (429, 5xx, timeouts, malformed JSON) until the attempts ran out, or refused the request.',
  PIPE_ERASE_FAILED: 'An erasure could not finish; nothing was committed.',
} as const;
export type PipelineErrorCode = keyof typeof PipelineErrorCodes;

/** An error from the pipelines layer with a stable code. */
export class PipelineError extends ParleyError {
  constructor(code: PipelineErrorCode, message: string, opts: { exitCode?: 1 | 2; httpStatus?: number; cause?: unknown } = {}) {
    const usage = code === 'PIPE_UNKNOWN_SOURCE' || code === 'PIPE_BAD_OPTION' || code === 'PIPE_NO_BUSINESS_NAME' || code === 'PIPE_NOT_CONFIGURED';
    super(code, message, { exitCode: opts.exitCode ?? (usage ? 2 : 1), httpStatus: opts.httpStatus ?? (usage ? 400 : code === 'PIPE_ALREADY_RUNNING' ? 409 : 500), cause: opts.cause });
    this.name = 'PipelineError';
  }
}
