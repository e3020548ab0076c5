import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';
import { normalizeText } from './segment.ts';

/** `config/tag_rules.json` as written: tag -> words or phrases. */
export interface TagRulesFile {
  readonly description?: string;
  readonly tags: Readonly<Record<string, readonly string[]>>;
}

/** Problems with a tag-rules file (empty when it is fine). */
export function validateTagRules(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['the file must hold an object with "tags"'];
  const tags = (value as Record<string, unknown>).tags;
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return ['"tags" must be an object of tag -> list of words'];
  const problems: string[] = [];
  for (const [tag, words] of Object.entries(tags)) {
    if (!/^[a-z][a-z0-9_]*$/.test(tag)) problems.push(`tag "${tag}" must be lowercase letters, digits and underscores`);
    if (!Array.isArray(words) || words.length === 0) problems.push(`"tags.${tag}" must be a non-empty list of words`);
    else for (const w of words) if (typeof w !== 'string' || w.trim() === '' || w.trim() === '*') problems.push(`"tags.${tag}" has an empty or non-text entry ${JSON.stringify(w)}`);
  }
  return problems;
}

/** Reads and validates `config/tag_rules.json`. */
export function readTagRules(config: Pick<Config, 'configDir'>): TagRulesFile {
  return readJsonConfig<TagRulesFile>(config, 'tag_rules', validateTagRules);
}

/** Tag rules compiled to one matcher per tag. */
export type CompiledTagRules = readonly { readonly tag: string; readonly pattern: RegExp }[];

const CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One entry as a regular expression source: CJK anywhere, Latin as whole words (`*` = any ending). */
function entrySource(entry: string): string {
  const word = normalizeText(entry.trim()).toLowerCase();
  if (CJK.test(word)) return escape(word);
  const prefix = word.endsWith('*');
  const body = escape(prefix ? word.slice(0, -1) : word).replace(/\s+/g, '\\s+');
  // Letters and digits on either side would make it part of a longer word.
  return `(?<![\\p{L}\\p{N}])${body}${prefix ? '[\\p{L}\\p{N}]*' : ''}(?![\\p{L}\\p{N}])`;
}

/** Compiles the rules (tags in name order, so a message's tags come out sorted). */
export function compileTagRules(rules: Pick<TagRulesFile, 'tags'>): CompiledTagRules {
  return Object.keys(rules.tags)
    .sort()
    .map((tag) => ({ tag, pattern: new RegExp(rules.tags[tag]!.map(entrySource).join('|'), 'u') }));
}

/** The tags of a message, sorted; empty when none applies. */
export function tagsOf(text: string, rules: CompiledTagRules): string[] {
  const normalized = normalizeText(text).toLowerCase();
  return rules.filter((r) => r.pattern.test(normalized)).map((r) => r.tag);
}
