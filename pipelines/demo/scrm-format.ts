/** Lines of the SCRM event log (DESIGN section 4), with a fixed key order so output is byte-stable. */

const iso = (ms: number) => new Date(ms).toISOString();
const str = (v: string | null | undefined) => (v === null || v === undefined ? 'null' : JSON.stringify(v));

/** `agent.upserted`. */
export function agentUpserted(at: number, agentId: string, name: string, team: string): string {
  return `{"type":"agent.upserted","at":"${iso(at)}","agent_id":${str(agentId)},"name":${str(name)},"team":${str(team)}}`;
}

/** `message.sent`: an outbound message by an agent, the bot or a template campaign. */
export function messageSent(m: {
  at: number;
  wamid: string;
  phoneNumberId: string;
  to: string;
  agentId: string | null;
  kind: 'agent' | 'bot' | 'template';
  text: string;
  templateName: string | null;
  campaignId: string | null;
  conversationId: string | null;
  media?: string | null;
}): string {
  return `{"type":"message.sent","at":"${iso(m.at)}","wamid":${str(m.wamid)},"phone_number_id":${str(m.phoneNumberId)},"to":${str(m.to)},"agent_id":${str(m.agentId)},"kind":"${m.kind}","text":${str(m.text)},"template_name":${str(m.templateName)},"campaign_id":${str(m.campaignId)},"conversation_id":${str(m.conversationId)}${m.media ? `,"media":${str(m.media)}` : ''}}`;
}

/** `conversation.assigned`, `conversation.resolved` or `conversation.reopened`. */
export function conversationEvent(type: 'assigned' | 'resolved' | 'reopened', at: number, ticketId: string, customer: string, agentId: string | null, phoneNumberId: string): string {
  return `{"type":"conversation.${type}","at":"${iso(at)}","conversation_id":${str(ticketId)},"customer":${str(customer)}${type === 'reopened' ? '' : `,"agent_id":${str(agentId)}`},"phone_number_id":${str(phoneNumberId)}}`;
}

/** `link.clicked`. */
export function linkClicked(at: number, wamid: string, url: string): string {
  return `{"type":"link.clicked","at":"${iso(at)}","wamid":${str(wamid)},"url":${str(url)}}`;
}

/** `csat.answered`. */
export function csatAnswered(at: number, ticketId: string, score: number): string {
  return `{"type":"csat.answered","at":"${iso(at)}","conversation_id":${str(ticketId)},"score":${score}}`;
}
