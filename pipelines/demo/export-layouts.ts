/**
 * How phones write a chat export, for the demo: the header of each line and WhatsApp's own
 * notes, per app (Android, iOS) and UI language. Times are wall-clock times encoded as
 * `Date.UTC` of their fields.
 */

/** One phone's export layout. */
export interface ExportLayout {
  readonly name: string;
  /** The start of a message line, up to the author. */
  header(localMs: number): string;
  /** WhatsApp's note that messages are end-to-end encrypted (the first line of a chat). */
  readonly encrypted: string;
  readonly mediaOmitted: string;
  readonly deleted: string;
  /** iOS puts a left-to-right mark before what WhatsApp writes itself and before such lines. */
  readonly marks: boolean;
  /** Android writes the file as `WhatsApp Chat with X.txt`; iOS as `_chat.txt` in `WhatsApp Chat - X/`. */
  fileName(title: string): string;
}

const LRM = '\u200e';
const pad = (n: number) => String(n).padStart(2, '0');
const fields = (ms: number) => {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
};
const twelve = (h: number) => (h % 12 === 0 ? 12 : h % 12);

/** Android, English (Hong Kong / UK): `25/12/2023, 14:05 - `. */
export const ANDROID_EN_GB: ExportLayout = {
  name: 'android-en-gb',
  header: (ms) => {
    const t = fields(ms);
    return `${pad(t.d)}/${pad(t.mo)}/${t.y}, ${pad(t.h)}:${pad(t.mi)} - `;
  },
  encrypted: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
  mediaOmitted: '<Media omitted>',
  deleted: 'This message was deleted',
  marks: false,
  fileName: (title) => `WhatsApp Chat with ${title}.txt`,
};

/** Android, English (US): `1/5/24, 3:12 PM - ` with a narrow no-break space before PM. */
export const ANDROID_EN_US: ExportLayout = {
  ...ANDROID_EN_GB,
  name: 'android-en-us',
  header: (ms) => {
    const t = fields(ms);
    return `${t.mo}/${t.d}/${String(t.y).slice(2)}, ${twelve(t.h)}:${pad(t.mi)}\u202f${t.h < 12 ? 'AM' : 'PM'} - `;
  },
};

/** Android, Korean: `2024. 1. 5. 오후 3:12 - `. */
export const ANDROID_KO: ExportLayout = {
  name: 'android-ko',
  header: (ms) => {
    const t = fields(ms);
    return `${t.y}. ${t.mo}. ${t.d}. ${t.h < 12 ? '오전' : '오후'} ${twelve(t.h)}:${pad(t.mi)} - `;
  },
  encrypted: '메시지와 전화는 엔드투엔드 암호화됩니다. 이 채팅 외부의 그 누구도, 심지어 WhatsApp도 메시지를 읽거나 들을 수 없습니다.',
  mediaOmitted: '<미디어 파일 생략>',
  deleted: '삭제된 메시지입니다',
  marks: false,
  fileName: (title) => `WhatsApp Chat with ${title}.txt`,
};

/** iPhone, Traditional Chinese: `[2024/1/5 下午3:12:45] `. */
export const IOS_ZH_HK: ExportLayout = {
  name: 'ios-zh-hk',
  header: (ms) => {
    const t = fields(ms);
    return `[${t.y}/${t.mo}/${t.d} ${t.h < 12 ? '上午' : '下午'}${twelve(t.h)}:${pad(t.mi)}:${pad(t.s)}] `;
  },
  encrypted: `${LRM}訊息和通話均經端對端加密。此對話以外的任何人（包括 WhatsApp）都無法讀取或收聽。`,
  mediaOmitted: `${LRM}圖片已略去`,
  deleted: `${LRM}此訊息已刪除`,
  marks: true,
  fileName: (title) => `WhatsApp Chat - ${title}/_chat.txt`,
};
