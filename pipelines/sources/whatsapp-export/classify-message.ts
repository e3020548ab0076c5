import { isLocation, recogniseMedia, type MediaType } from './media-placeholders.ts';
import { isCallNote, isDeletedNote, stripEditedNote } from './system-lines.ts';

/** What an authored line turned out to be. */
export type MessageClass =
  | { readonly kind: 'text'; readonly text: string; readonly edited: boolean }
  | { readonly kind: 'location'; readonly text: string; readonly edited: boolean }
  | { readonly kind: 'media'; readonly text: string; readonly mediaType: MediaType; readonly file: string | null; readonly caption: string | null; readonly edited: boolean }
  | { readonly kind: 'deleted'; readonly text: string }
  | { readonly kind: 'system'; readonly text: string };

/**
 * Classifies an authored message. `marked` says the export put a left-to-right mark before
 * the text: iOS does that for everything WhatsApp wrote itself (attachments, deletions, group
 * events, the encryption notice), so a marked line that is no media, location or deletion is a
 * system line whatever its language.
 */
export function classifyMessage(text: string, marked: boolean): MessageClass {
  const { text: body, edited } = stripEditedNote(text);
  if (isDeletedNote(body)) return { kind: 'deleted', text: body };
  const media = recogniseMedia(body);
  if (media) return { kind: 'media', text: body, mediaType: media.mediaType, file: media.file, caption: media.caption, edited };
  if (isLocation(body)) return { kind: 'location', text: body.trim(), edited };
  if (marked || isCallNote(body)) return { kind: 'system', text: body };
  return { kind: 'text', text: body, edited };
}
