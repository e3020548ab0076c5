import { hasEmoji } from './emoji.ts';
import { keywordsOf } from './keywords.ts';
import { detectLanguage } from './language.ts';
import { segmentTokens } from './segment.ts';
import { sentimentOf } from './sentiment.ts';
import { compileTagRules, tagsOf, validateTagRules, type CompiledTagRules, type TagRulesFile } from './tag-rules.ts';

/** What the text of one message says, as the marts store it. */
export interface TextFacts {
  readonly language: string;
  readonly sentiment: number | null;
  readonly has_emoji: boolean;
  readonly tags: string[];
  readonly keywords: string[];
}

/** Everything about one message's text in one pass. */
export function textFacts(text: string, rules: CompiledTagRules): TextFacts {
  const tokens = segmentTokens(text);
  return { language: detectLanguage(text), sentiment: sentimentOf(tokens), has_emoji: hasEmoji(text), tags: tagsOf(text, rules), keywords: keywordsOf(tokens) };
}

/** Past this many distinct texts the memo starts over (bounded memory on big builds). */
const MEMO_LIMIT = 200_000;

/**
 * `textFacts` memoised by text, for the SQL function DuckDB calls chunk by chunk: chat
 * repeats itself ("thanks 🙏", template texts), so most calls are a map lookup. The
 * rules arrive as the JSON of config/tag_rules.json and are compiled once per distinct
 * JSON.
 */
export class TextFactsMemo {
  private rulesJson: string | undefined;
  private rules: CompiledTagRules = [];
  private readonly memo = new Map<string, TextFacts>();

  /** Facts of `text` under the rules in `rulesJson`. */
  get(text: string, rulesJson: string): TextFacts {
    if (rulesJson !== this.rulesJson) {
      const parsed = JSON.parse(rulesJson) as TagRulesFile;
      const problems = validateTagRules(parsed);
      if (problems.length > 0) throw new Error(`tag rules are invalid: ${problems.join('; ')}`);
      this.rules = compileTagRules(parsed);
      this.rulesJson = rulesJson;
      this.memo.clear();
    }
    let facts = this.memo.get(text);
    if (facts === undefined) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      facts = textFacts(text, this.rules);
      this.memo.set(text, facts);
    }
    return facts;
  }
}
