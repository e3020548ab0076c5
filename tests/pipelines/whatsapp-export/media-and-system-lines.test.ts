import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../pipelines/sources/whatsapp-export/classify-message.ts';
import { mediaTypeOfFile, recogniseMedia } from '../../../pipelines/sources/whatsapp-export/media-placeholders.ts';
import { isDeletedNote, splitAuthor, stripEditedNote } from '../../../pipelines/sources/whatsapp-export/system-lines.ts';

describe('media placeholders', () => {
  it.each([
    ['<Media omitted>', 'media', null, null],
    ['<Medien ausgeschlossen>', 'media', null, null],
    ['<attached: 00000012-PHOTO-2023-12-25-14-08-00.jpg>', 'image', '00000012-PHOTO-2023-12-25-14-08-00.jpg', null],
    ['<attached: 00000013-VIDEO-2023-12-25-14-09-00.mp4>', 'video', '00000013-VIDEO-2023-12-25-14-09-00.mp4', null],
    ['<attached: 00000014-AUDIO-2023-12-25-14-10-00.opus>', 'audio', '00000014-AUDIO-2023-12-25-14-10-00.opus', null],
    ['<attached: 00000015-GIF-2023-12-25-14-11-00.mp4>', 'gif', '00000015-GIF-2023-12-25-14-11-00.mp4', null],
    ['quote.pdf • 3 pages <attached: 00000016-quote.pdf>', 'document', '00000016-quote.pdf', null],
    ['IMG-20240113-WA0004.jpg (file attached)\nYour receipt', 'image', 'IMG-20240113-WA0004.jpg', 'Your receipt'],
    ['PTT-20240113-WA0005.opus (file attached)', 'audio', 'PTT-20240113-WA0005.opus', null],
    ['STK-20240113-WA0006.webp (Datei angehängt)', 'sticker', 'STK-20240113-WA0006.webp', null],
    ['Grace Yip.vcf (file attached)', 'contact', 'Grace Yip.vcf', null],
    ['image omitted', 'image', null, null],
    ['video omitted', 'video', null, null],
    ['sticker omitted', 'sticker', null, null],
    ['GIF omitted', 'gif', null, null],
    ['Contact card omitted', 'contact', null, null],
    ['Bild weggelassen', 'image', null, null],
    ['사진 생략됨', 'image', null, null],
    ['圖片已略去', 'image', null, null],
    ['<미디어 파일 생략>', 'media', null, null],
  ])('reads %j', (text, mediaType, file, caption) => {
    expect(recogniseMedia(text)).toEqual({ mediaType, file, caption });
  });

  it.each(['Hello', 'nothing omitted here', 'see <this>', 'the report (attached)', 'I attached a photo'])('leaves %j as a message', (text) => {
    expect(recogniseMedia(text)).toBeUndefined();
  });

  it('tells media types from WhatsApp file names', () => {
    expect(['IMG-1.jpg', 'VID-1.mp4', 'AUD-1.opus', 'DOC-1.docx', 'x.heic'].map(mediaTypeOfFile)).toEqual(['image', 'video', 'audio', 'document', 'image']);
  });
});

describe('system lines', () => {
  it.each([
    ['Grace Yip: Hi: there', { author: 'Grace Yip', text: 'Hi: there' }],
    ['Shirley Tam added Peter Chan', { system: 'Shirley Tam added Peter Chan' }],
    ['Shirley Tam changed the subject from "A" to "Order: TST"', { system: 'Shirley Tam changed the subject from "A" to "Order: TST"' }],
    ['Kelly Ho 已將群組名稱更改為「訂單: 尖沙咀」', { system: 'Kelly Ho 已將群組名稱更改為「訂單: 尖沙咀」' }],
    ['Grace Yip:', { author: 'Grace Yip', text: '' }],
    [': no author', { system: ': no author' }],
  ])('splits %j', (rest, expected) => {
    expect(splitAuthor(rest)).toEqual(expected);
  });

  it.each(['This message was deleted', 'This message was deleted.', 'You deleted this message', '이 메시지는 삭제되었습니다', '此訊息已刪除', 'Diese Nachricht wurde gelöscht.'])('knows %j for a deletion', (text) => {
    expect(isDeletedNote(text)).toBe(true);
  });

  it('strips the edited note', () => {
    expect(stripEditedNote('Sorry, wrong chat <This message was edited>')).toEqual({ text: 'Sorry, wrong chat', edited: true });
    expect(stripEditedNote('plain')).toEqual({ text: 'plain', edited: false });
  });

  it('makes marked iOS lines and call notes system lines, whatever their language', () => {
    expect(classifyMessage('Messages and calls are end-to-end encrypted.', true).kind).toBe('system');
    expect(classifyMessage('Kelly Ho added Peter Chan', true).kind).toBe('system');
    expect(classifyMessage('Missed voice call', false).kind).toBe('system');
    expect(classifyMessage('image omitted', true).kind).toBe('media');
    expect(classifyMessage('This message was deleted.', true).kind).toBe('deleted');
    expect(classifyMessage('location: https://maps.google.com/?q=22.2855,114.1577', false).kind).toBe('location');
    expect(classifyMessage('Hello', false).kind).toBe('text');
  });
});
