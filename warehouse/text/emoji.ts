/**
 * Emoji in a message: Unicode's Extended_Pictographic characters (😂 🙏 😡 ❤ 📦 ...),
 * the property emoji presentation is defined on. Digits and # have emoji forms too, but
 * only with a keycap sign, so plain "1" or "#" is not an emoji here.
 */
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\u20e3/u;

/** Whether `text` contains at least one emoji. */
export function hasEmoji(text: string): boolean {
  return PICTOGRAPHIC.test(text);
}
