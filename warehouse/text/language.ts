/**
 * The language of a message from its scripts: Hangul is Korean, kana Japanese, Han
 * Chinese — written Cantonese when it uses characters only Cantonese writes (嘅 咗 冇
 * 唔 係 ...), else `zh` — and Latin letters English (the shop's only Latin-script
 * language). `und` when there are no letters (emoji, numbers). A Han or Hangul character
 * weighs as much as four Latin letters, since product names are Latin in every language:
 * "AirPods Pro 幾錢呀" is Cantonese.
 */
const CANTONESE = /[嘅咗冇唔係喺哋嗰啲乜咩嚟佢噉咁嘢㗎喎嘞囉攞睇諗瞓俾畀晒啱]|而家|幾多|幾錢|點解/u;

function count(text: string, script: RegExp): number {
  return text.match(script)?.length ?? 0;
}

/** ISO 639 code of `text`'s language: en, ko, ja, zh, yue or und. */
export function detectLanguage(text: string): string {
  const hangul = count(text, /\p{Script=Hangul}/gu);
  const kana = count(text, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const han = count(text, /\p{Script=Han}/gu);
  const latin = count(text, /\p{Script=Latin}/gu);
  // Japanese mixes kana with Han: any kana makes it Japanese unless another script dominates.
  if (kana > 0 && kana + han >= hangul && 4 * (kana + han) >= latin) return 'ja';
  if (hangul + han + latin === 0) return 'und';
  if (hangul >= han && hangul * 4 >= latin) return 'ko';
  if (han > 0 && han * 4 >= latin) return CANTONESE.test(text) ? 'yue' : 'zh';
  return 'en';
}
