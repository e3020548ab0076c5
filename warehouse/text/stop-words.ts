import { createRequire } from 'node:module';

// The package is a bare JSON file without types: require keeps it a plain object.
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

/**
 * Stop words: the stopwords-iso lists (a maintained collection) for English, Korean,
 * Chinese and Japanese, plus chat filler those lists lack — greetings, Cantonese
 * sentence particles, politeness formulas — and minus the few words the English list
 * drops that matter to a shop ("order", "buy").
 */
const LIST_LANGUAGES = ['en', 'ko', 'zh', 'ja'] as const;

/** Chat filler in the demo's and real shops' languages that the lists do not have. */
export const CHAT_FILLER: readonly string[] = [
  // English greetings and chat noise
  'hi', 'hello', 'hey', 'pls', 'plz', 'please', 'thx', 'thanks', 'thank', 'ty', 'ok', 'okay', 'k', 'yes', 'yeah', 'yep', 'no', 'hmm', 'lol', 'haha', 'morning', 'dear',
  // Cantonese particles, pronouns and formulas (written Cantonese is not in the zh list)
  '呀', '嗎', '啦', '喎', '咩', '嘅', '咗', '喇', '囉', '吖', '啊', '哈', '呢', '㗎', '嘛', '啫', '咋', '喺', '係', '唔', '冇', '佢', '哋', '我哋', '你哋', '嗰', '呢個', '個', '咁', '噉',
  '想', '想要', '我想', '我要', '想問', '請問', '問下', '下', '你好', '唔該', '多謝', '唔該晒', '多謝晒', '收到', '好', '而家', '而', '家', '有冇', '幾',
  // Korean greetings and formulas
  '안녕하세요', '안녕', '감사합니다', '감사해요', '고맙습니다', '네', '예', '아니요', '혹시', '좀', '제', '저', '그럼', '너무', '정말', '진짜', '이번', '지금',
  // English intensifiers the list lacks
  'very', 'really', 'super',
];

/** Words the stop lists contain that are keywords for a shop. */
const KEEP: ReadonlySet<string> = new Set(['order', 'orders', 'ordered', 'buy', 'bought', 'today', 'tomorrow', 'new', 'free', 'cash', 'card', 'home']);

const STOP: ReadonlySet<string> = new Set(
  [...LIST_LANGUAGES.flatMap((l) => stopwordsIso[l] ?? []), ...CHAT_FILLER]
    .map((w) => w.toLowerCase())
    .filter((w) => !KEEP.has(w)),
);

/** Whether a lower-cased word is a stop word. */
export function isStopWord(word: string): boolean {
  return STOP.has(word);
}
