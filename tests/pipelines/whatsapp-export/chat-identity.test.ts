import { describe, expect, it } from 'vitest';
import { chatIdentity, titleFromName } from '../../../pipelines/sources/whatsapp-export/chat-identity.ts';

describe('chat identity', () => {
  it.each([
    ['WhatsApp Chat with Grace Yip.txt', 'Grace Yip'],
    ['WhatsApp Chat with Grace Yip (1).txt', 'Grace Yip'],
    ['WhatsApp Chat - Grace Yip', 'Grace Yip'],
    ['WhatsApp Chat - Grace Yip.zip', 'Grace Yip'],
    ['WhatsApp-Chat mit Grace Yip.txt', 'Grace Yip'],
    ['WhatsApp Chat with +852 5123 4567.txt', '+852 5123 4567'],
    ['grace.txt', 'grace'],
    ['_chat.txt', undefined],
  ])('titles %j as %j', (name, title) => {
    expect(titleFromName(name)).toBe(title);
  });

  it('gives Android and unzipped iOS exports of one chat the same id', () => {
    const android = chatIdentity('/x/WhatsApp Chat with Grace Yip.txt', ['Grace Yip']);
    const ios = chatIdentity('/y/WhatsApp Chat - Grace Yip/_chat.txt', ['Grace Yip']);
    expect(android).toEqual(ios);
    expect(android.chatId).toMatch(/^wx-[0-9a-f]{12}$/);
  });

  it('names a chat by its customers when neither file nor folder does', () => {
    expect(chatIdentity('/landing/exports/_chat.txt', ['Peter', 'Anna', 'Peter']).title).toBe('Anna, Peter');
  });
});
