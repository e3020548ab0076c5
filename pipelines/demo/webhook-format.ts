import type { BusinessNumber } from './catalog.ts';

/** An inbound message body in Meta's shape, by type. */
export type InboundBody =
  | { type: 'text'; text: string; contextId?: string }
  | { type: 'image' | 'video'; mediaId: string; mime: string; caption?: string }
  | { type: 'sticker'; mediaId: string }
  | { type: 'audio'; mediaId: string }
  | { type: 'document'; mediaId: string; filename: string }
  | { type: 'location'; latitude: number; longitude: number; name: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  | { type: 'interactive_button'; id: string; title: string; contextId: string }
  | { type: 'button'; payload: string; text: string; contextId: string };

/** A delivery status in Meta's shape. */
export interface StatusBody {
  readonly wamid: string;
  readonly status: 'sent' | 'delivered' | 'read' | 'failed';
  readonly at: number;
  readonly recipient: string;
  readonly conversationId?: string;
  readonly conversationExpiresAt?: number;
  readonly origin?: string;
  readonly pricing?: { billable: boolean; category: string; type: string };
  readonly error?: { code: number; title: string };
}

const secs = (ms: number) => String(Math.floor(ms / 1000));

function envelope(num: BusinessNumber, value: string): string {
  return `{"object":"whatsapp_business_account","entry":[{"id":"${num.wabaId}","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${num.displayPhoneNumber}","phone_number_id":"${num.phoneNumberId}"},${value}},"field":"messages"}]}]}`;
}

function bodyJson(b: InboundBody): string {
  switch (b.type) {
    case 'text':
      return `${b.contextId ? `"context":{"from":"","id":"${b.contextId}"},` : ''}"type":"text","text":{"body":${JSON.stringify(b.text)}}`;
    case 'image':
    case 'video':
      return `"type":"${b.type}","${b.type}":{${b.caption ? `"caption":${JSON.stringify(b.caption)},` : ''}"mime_type":"${b.mime}","sha256":"${b.mediaId.slice(-16)}","id":"${b.mediaId}"}`;
    case 'sticker':
      return `"type":"sticker","sticker":{"mime_type":"image/webp","sha256":"${b.mediaId.slice(-16)}","id":"${b.mediaId}","animated":false}`;
    case 'audio':
      return `"type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"${b.mediaId.slice(-16)}","id":"${b.mediaId}","voice":true}`;
    case 'document':
      return `"type":"document","document":{"filename":${JSON.stringify(b.filename)},"mime_type":"application/pdf","sha256":"${b.mediaId.slice(-16)}","id":"${b.mediaId}"}`;
    case 'location':
      return `"type":"location","location":{"latitude":${b.latitude},"longitude":${b.longitude},"name":${JSON.stringify(b.name)}}`;
    case 'reaction':
      return `"type":"reaction","reaction":{"message_id":"${b.messageId}","emoji":${JSON.stringify(b.emoji)}}`;
    case 'interactive_button':
      return `"context":{"from":"","id":"${b.contextId}"},"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"${b.id}","title":${JSON.stringify(b.title)}}}`;
    case 'button':
      return `"context":{"from":"","id":"${b.contextId}"},"type":"button","button":{"payload":${JSON.stringify(b.payload)},"text":${JSON.stringify(b.text)}}`;
  }
}

/** One webhook payload carrying one inbound message and its sender's contact. */
export function inboundPayload(num: BusinessNumber, from: string, profileName: string, wamid: string, at: number, body: InboundBody): string {
  return envelope(
    num,
    `"contacts":[{"profile":{"name":${JSON.stringify(profileName)}},"wa_id":"${from}"}],"messages":[{"from":"${from}","id":"${wamid}","timestamp":"${secs(at)}",${bodyJson(body)}}]`,
  );
}

function statusJson(s: StatusBody): string {
  let out = `{"id":"${s.wamid}","status":"${s.status}","timestamp":"${secs(s.at)}","recipient_id":"${s.recipient}"`;
  if (s.conversationId) {
    out += `,"conversation":{"id":"${s.conversationId}"${s.conversationExpiresAt ? `,"expiration_timestamp":"${secs(s.conversationExpiresAt)}"` : ''},"origin":{"type":"${s.origin}"}}`;
  }
  if (s.pricing) out += `,"pricing":{"billable":${s.pricing.billable},"pricing_model":"PMP","category":"${s.pricing.category}","type":"${s.pricing.type}"}`;
  if (s.error) out += `,"errors":[{"code":${s.error.code},"title":${JSON.stringify(s.error.title)},"message":${JSON.stringify(s.error.title)},"error_data":{"details":${JSON.stringify(s.error.title)}}}]`;
  return `${out}}`;
}

/** One webhook payload carrying one or more statuses. */
export function statusPayload(num: BusinessNumber, statuses: readonly StatusBody[]): string {
  return envelope(num, `"statuses":[${statuses.map(statusJson).join(',')}]`);
}
