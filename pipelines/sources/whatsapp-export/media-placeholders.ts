/**
 * Media placeholders: an export has no media inside it, only a note where a photo, video,
 * voice note, sticker or document was (`<Media omitted>`, `<attached: …>`,
 * `IMG-… (file attached)`, `image omitted`, `(Datei angehängt)`, …). Such messages become
 * messages of kind `media`; text written under the placeholder is the caption.
 */

/** What a placeholder says the media was. */
export type MediaType = 'image' | 'video' | 'audio' | 'sticker' | 'gif' | 'document' | 'contact' | 'media';

/** A recognised placeholder: the media type, the file name when the export names one, and the caption. */
export interface MediaPlaceholder {
  readonly mediaType: MediaType;
  readonly file: string | null;
  readonly caption: string | null;
}

/** `<Media omitted>` and its translations: the note Android writes when media were left out. */
const OMITTED_WORDS = /omitted|ausgeschlossen|weggelassen|omitid|omis|omesso|생략|省略|略去|忽略/i;
/** iOS `<attached: 00000012-PHOTO-….jpg>` and its translations. */
const ATTACHED_TAG = /<(?:attached|angehängt|adjunto|anexado|pièce jointe|allegato|첨부|附件|附加檔案)\s*[:：]\s*([^<>]+)>$/i;
/** Android `IMG-20240105-WA0001.jpg (file attached)` and its translations. */
const FILE_ATTACHED = /^(\S[^()]*\.[A-Za-z0-9]{1,5}) \(([^()]{2,40})\)$/;
const ATTACHED_WORDS = /attached|angehängt|adjunto|joint|anexado|allegato|첨부|附/i;

/** iOS `image omitted` and its translations, by the word for the media type. */
const IOS_OMITTED: readonly [RegExp, MediaType][] = [
  [/^(?:image|photo|bild|imagen|foto|사진|이미지|圖片|图片|照片)(?![A-Za-z])/i, 'image'],
  [/^(?:video|vídeo|동영상|비디오|影片|视频|視訊)(?![A-Za-z])/i, 'video'],
  [/^(?:audio|sprachnachricht|오디오|음성|音訊|音频|語音|语音)(?![A-Za-z])/i, 'audio'],
  [/^(?:sticker|스티커|貼圖|贴图|贴纸)(?![A-Za-z])/i, 'sticker'],
  [/^GIF(?![A-Za-z])/i, 'gif'],
  [/^(?:document|dokument|documento|문서|文件|文檔|文档)(?![A-Za-z])/i, 'document'],
  [/^(?:contact card|kontaktkarte|tarjeta de contacto|연락처|聯絡人|联系人)/i, 'contact'],
];
const IOS_OMITTED_LINE = /^(?:[\p{L} ]{1,24}) ?(?:omitted|weggelassen|omitid[oa]|omis|생략됨|누락됨|已略去|已忽略|已省略|已隱藏)$/iu;

/** The media type a WhatsApp file name stands for (`IMG-…`, `…-PHOTO-…`, `PTT-…opus`, …). */
export function mediaTypeOfFile(file: string): MediaType {
  if (/\.vcf$/i.test(file)) return 'contact';
  if (/STICKER|STK-|\.webp$/i.test(file)) return 'sticker';
  if (/GIF/i.test(file)) return 'gif';
  if (/PHOTO|IMG|\.(?:jpe?g|png|heic|heif)$/i.test(file)) return 'image';
  if (/VIDEO|VID-|\.(?:mp4|mov|3gp|mkv)$/i.test(file)) return 'video';
  if (/PTT-|AUDIO|AUD-|\.(?:opus|m4a|mp3|aac|ogg|wav|amr)$/i.test(file)) return 'audio';
  return 'document';
}

/** The placeholder a message's text (marks already removed) starts with, or undefined for an ordinary message. */
export function recogniseMedia(text: string): MediaPlaceholder | undefined {
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trim();
  if (first === '' || first.length > 300) return undefined;
  const caption = nl === -1 ? null : text.slice(nl + 1).trim() || null;
  const attached = ATTACHED_TAG.exec(first);
  if (attached) return { mediaType: mediaTypeOfFile(attached[1]!.trim()), file: attached[1]!.trim(), caption };
  if (first.startsWith('<') && first.endsWith('>') && OMITTED_WORDS.test(first)) return { mediaType: 'media', file: null, caption };
  const fileAttached = FILE_ATTACHED.exec(first);
  if (fileAttached && ATTACHED_WORDS.test(fileAttached[2]!)) return { mediaType: mediaTypeOfFile(fileAttached[1]!), file: fileAttached[1]!, caption };
  if (first.length <= 40 && IOS_OMITTED_LINE.test(first)) {
    const type = IOS_OMITTED.find(([re]) => re.test(first))?.[1];
    if (type) return { mediaType: type, file: null, caption };
  }
  // Android writes "null" for view-once media.
  if (first === 'null' && caption === null) return { mediaType: 'media', file: null, caption: null };
  return undefined;
}

/** A shared location (`location: https://maps.google.com/?q=…`): a message of type location. */
export function isLocation(text: string): boolean {
  return /^(?:location|standort|ubicación|localização|위치|位置)\s*[:：]\s*https?:\/\/\S+$/i.test(text.trim());
}
