import path from 'node:path';
import { createHash } from 'node:crypto';
import { normaliseName } from './business-names.ts';

/**
 * Which chat an export file is. Exports carry no chat id, so the chat is named by its title,
 * taken from the file name WhatsApp gives (`WhatsApp Chat with Grace Yip.txt`), or from the
 * folder of an unzipped iOS export (`WhatsApp Chat - Grace Yip/_chat.txt`), or, when neither
 * names it, from the people who write in it other than the business. Re-exports of the same
 * chat get the same title, so their messages get the same ids.
 */
export interface ChatIdentity {
  /** `wx-` and 12 hex digits of the normalised title. */
  readonly chatId: string;
  readonly title: string;
}

/** WhatsApp's file-name prefixes (Android file names and iOS zip/folder names) in several languages. */
const TITLE_PATTERNS: readonly RegExp[] = [
  /^WhatsApp Chat with (.+)$/i,
  /^WhatsApp Chat (?:mit|con|avec|com|met|z) (.+)$/i,
  /^WhatsApp[- ]Chat mit (.+)$/i,
  /^Chat de WhatsApp con (.+)$/i,
  /^Conversa do WhatsApp com (.+)$/i,
  /^Discussion WhatsApp avec (.+)$/i,
  /^WhatsApp[^-–]*[-–] ?(.+)$/i,
];
/** Names that say nothing about the chat (`_chat.txt` inside an iOS export). */
const GENERIC = /^(?:_?chat|whatsapp|whatsapp chat|chat export|export)$/i;

/** The chat title a file or folder name stands for, or undefined when it names no chat. */
export function titleFromName(name: string): string | undefined {
  const base = name.replace(/\.(?:txt|zip)$/i, '').replace(/\s*\(\d+\)$/, '').trim();
  if (base === '' || GENERIC.test(base)) return undefined;
  for (const re of TITLE_PATTERNS) {
    const m = re.exec(base);
    if (m && m[1]!.trim() !== '') return m[1]!.trim();
  }
  return base;
}

/**
 * The identity of the chat in `file`. `customers` (the non-business authors in order of
 * appearance) name the chat only when neither the file nor an unzipped WhatsApp folder does.
 */
export function chatIdentity(file: string, customers: readonly string[]): ChatIdentity {
  const title = titleFromPath(file) ?? ([...new Set(customers.map((c) => c.trim()))].sort().join(', ') || path.basename(file));
  return { chatId: chatIdOf(title), title };
}

/** The chat title the file or its unzipped WhatsApp folder names, if they name one. */
export function titleFromPath(file: string): string | undefined {
  const folder = path.basename(path.dirname(file));
  return titleFromName(path.basename(file)) ?? (/^WhatsApp/i.test(folder) ? titleFromName(folder) : undefined);
}

/** The chat id of a title. */
export function chatIdOf(title: string): string {
  return `wx-${createHash('sha1').update(normaliseName(title)).digest('hex').slice(0, 12)}`;
}
