/**
 * Korean writes particles (josa) onto the noun: 배송은, 배송이, 배송을 are all 배송
 * ("delivery"). Stripping the common particles makes them one keyword. A particle is
 * only stripped when at least two syllables remain, so short nouns that merely end in
 * a particle-like syllable (나이, 회사) are left alone.
 */
const PARTICLES = [
  '에서는', '으로는', '에게서', '한테서', '이라도', '까지는', '부터는',
  '에서', '에게', '한테', '으로', '이랑', '까지', '부터', '처럼', '보다', '하고', '이나', '이요', '께서',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '랑', '나',
].sort((a, b) => b.length - a.length);

const HANGUL_WORD = /^[\uac00-\ud7a3]+$/;

/** `word` without a trailing Korean particle (unchanged when it is not a Hangul word). */
export function stripKoreanParticle(word: string): string {
  if (!HANGUL_WORD.test(word)) return word;
  for (const p of PARTICLES) {
    if (word.length - p.length >= 2 && word.endsWith(p)) return word.slice(0, -p.length);
  }
  return word;
}

/**
 * Whether a Hangul word is a conjugated verb or adjective (되나요, 걸려요, 감사합니다):
 * predicates carry the ending, nouns do not, and keywords are about nouns.
 */
export function isKoreanPredicate(word: string): boolean {
  return HANGUL_WORD.test(word) && /(요|다|까|죠)$/.test(word) && word.length >= 2;
}

/** The copula written onto a noun: 불만입니다, 실망이에요, 문제예요 are the nouns 불만, 실망, 문제. */
const COPULA = /(입니다|이에요|예요|이었어요|였어요|이다|이야)$/u;

/** `word` without a trailing copula when a noun of two or more syllables is left. */
export function stripKoreanCopula(word: string): string {
  if (!HANGUL_WORD.test(word)) return word;
  const stem = word.replace(COPULA, '');
  return stem.length >= 2 ? stem : word;
}
