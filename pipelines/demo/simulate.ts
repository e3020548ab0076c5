import { AGENTS, AGENT_TEXTS, BOT_TEXTS, CUSTOMER_TEXTS, INTENTS, INTENT_WEIGHTS, PRODUCTS, TEMPLATES, type DemoAgent, type Intent, type Lang, type Product } from './catalog.ts';
import { addDays, isoWeekday, localMidnightUtc } from './local-time.ts';
import { Random } from './random.ts';
import * as scrm from './scrm-format.ts';
import { inboundPayload, statusPayload, type InboundBody, type StatusBody } from './webhook-format.ts';
import { makeCustomers, type DemoCustomer } from './world.ts';

/** Parameters of a demo data set. */
export interface DemoParams {
  readonly days: number;
  readonly customers: number;
  readonly seed: number;
  /** First local day after the data (YYYY-MM-DD); the data covers the `days` before it. */
  readonly end: string;
  readonly tz: string;
}

/** A deal the CRM holds for a customer, with when each stage was reached. */
export interface DemoDeal {
  readonly dealId: string;
  readonly customer: DemoCustomer;
  readonly product: Product;
  readonly productName: string;
  readonly quantity: number;
  readonly amount: number;
  readonly currency: 'HKD' | 'KRW';
  readonly stages: { stage: 'quoted' | 'ordered' | 'paid' | 'lost'; at: number }[];
  readonly paymentMethod: 'cod' | 'card';
}

/** The lines of one local day, per landing file. */
export interface DemoDay {
  readonly date: string;
  readonly webhook: string[];
  readonly scrm: string[];
}

/** Hour-of-day weights (local): 14:00-16:00 carries about 35% of customer sessions. */
const HOUR_WEIGHTS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.9, 1.6, 2.6, 3.1, 3.3, 3.3, 3.4, 12.2, 12.2, 3.6, 3.1, 2.9, 3.2, 3.1, 2.6, 1.6, 0.9];
/** Extra weight on Tuesday 09:00-12:00: the Tuesday-morning bump. */
const TUESDAY_MORNING = [0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const WEEKDAY_WEIGHTS = [0, 1.0, 1.25, 1.0, 1.0, 1.05, 0.85, 0.7];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Simulates the shop day by day and hands each day's lines to `onDay`, so even 10M
 * messages never sit in memory at once. Deterministic for the same parameters.
 */
export function simulate(params: DemoParams, onDay: (day: DemoDay) => void): { customers: DemoCustomer[]; deals: DemoDeal[]; messages: number } {
  const rng = new Random(`parley-demo-${params.seed}`);
  const customers = makeCustomers(rng, params.customers, params.days);
  const start = addDays(params.end, -params.days);
  const endMs = localMidnightUtc(params.end, params.tz);
  const sim = new Simulation(rng, params);
  for (let d = 0; d < params.days; d++) {
    const date = addDays(start, d);
    const dayStart = localMidnightUtc(date, params.tz);
    const weekday = isoWeekday(date);
    const day = sim.newDay(dayStart, endMs);
    if (d === 0) for (const a of AGENTS) day.scrm(dayStart + 60_000, scrm.agentUpserted(dayStart + 60_000, a.agentId, a.name, a.team));
    const hourWeights = HOUR_WEIGHTS.map((w, h) => w + (weekday === 2 ? TUESDAY_MORNING[h]! : 0));
    for (const c of customers) {
      if (c.firstDay > d) continue;
      const quiet = c.churnDay !== null && d >= c.churnDay;
      const rate = quiet ? 0.05 : c.sessionsPerWeek;
      if (rng.chance((rate / 7) * WEEKDAY_WEIGHTS[weekday]!)) {
        const hour = rng.weighted(hourWeights);
        const nearChurn = c.churnDay !== null && !quiet && d >= c.churnDay - 14;
        sim.session(day, c, dayStart + hour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000, nearChurn);
      }
    }
    if (weekday === 4) sim.campaign(day, customers, d, dayStart + 11 * HOUR, date);
    onDay(day.finish(date));
  }
  // Stages after the end of the window have not happened yet.
  const deals = sim.deals.map((deal) => ({ ...deal, stages: deal.stages.filter((s) => s.at < endMs) }));
  return { customers, deals, messages: sim.messages };
}

/** Collects one day's lines with their times; `finish` sorts them (ties keep insertion order). */
class DayBuffer {
  private readonly wa: { t: number; seq: number; line: string }[] = [];
  private readonly sc: { t: number; seq: number; line: string }[] = [];
  private seq = 0;
  /** Lines timed at or after `end` are dropped: they have not happened yet. */
  constructor(readonly start: number, readonly end: number) {}
  webhook(t: number, line: string): void {
    if (t < this.end) this.wa.push({ t, seq: this.seq++, line });
  }
  scrm(t: number, line: string): void {
    if (t < this.end) this.sc.push({ t, seq: this.seq++, line });
  }
  finish(date: string): DemoDay {
    const order = (a: { t: number; seq: number }, b: { t: number; seq: number }) => a.t - b.t || a.seq - b.seq;
    return { date, webhook: this.wa.sort(order).map((e) => e.line), scrm: this.sc.sort(order).map((e) => e.line) };
  }
}

class Simulation {
  readonly deals: DemoDeal[] = [];
  messages = 0;
  private wamidSeq = 0;
  private ticketSeq = 1000;
  private dealSeq = 0;
  /** Last inbound time per customer, for the 24-hour window. */
  private readonly lastInbound = new Map<number, number>();

  constructor(private readonly rng: Random, private readonly params: DemoParams) {}

  newDay(start: number, end: number): DayBuffer {
    return new DayBuffer(start, end);
  }

  private wamid(): string {
    const n = (++this.wamidSeq).toString(36).padStart(9, '0');
    return `wamid.HBgL${this.params.seed}${n}`;
  }

  /** A customer message, with the occasional Meta redelivery and a rare malformed line. */
  private inbound(day: DayBuffer, c: DemoCustomer, t: number, body: InboundBody): string {
    const id = this.wamid();
    const line = inboundPayload(c.number, c.waId, c.name, id, t, body);
    day.webhook(t, line);
    if (t < day.end) this.messages++;
    this.lastInbound.set(c.index, t);
    const r = this.rng.next();
    if (r < 0.01) day.webhook(t + this.rng.int(1, 3600) * 1000, line); // Meta retries: same payload again
    else if (r < 0.011) day.webhook(t, line.slice(0, Math.floor(line.length / 2))); // cut off mid-write
    else if (r < 0.0115) day.webhook(t, line.replaceAll(c.waId, '12345')); // a sender id that is no phone number
    else if (r < 0.012) day.webhook(t, line.replace(/"type":"[a-z]+"/, '"type":"hologram"')); // a type Meta never sends
    return id;
  }

  /** An outbound message through the SCRM, with its statuses from Meta. */
  private outbound(
    day: DayBuffer,
    c: DemoCustomer,
    t: number,
    m: { kind: 'agent' | 'bot' | 'template'; agentId: string | null; text: string; template?: { name: string; category: string }; campaignId?: string; ticketId?: string | null; media?: string },
  ): { wamid: string; delivered: boolean; readAt: number | null } {
    const wamid = this.wamid();
    if (t < day.end) this.messages++;
    day.scrm(t, scrm.messageSent({ at: t, wamid, phoneNumberId: c.number.phoneNumberId, to: c.waId, agentId: m.agentId, kind: m.kind, text: m.text, templateName: m.template?.name ?? null, campaignId: m.campaignId ?? null, conversationId: m.ticketId ?? null, media: m.media ?? null }));
    const inWindow = (this.lastInbound.get(c.index) ?? -Infinity) > t - DAY;
    const category = m.template?.category ?? 'service';
    const pricing = m.template ? { billable: true, category, type: 'regular' } : { billable: false, category: 'service', type: 'free_customer_service' };
    const convo = { conversationId: `${c.number.phoneNumberId}${c.waId}${Math.floor(t / DAY)}`, conversationExpiresAt: t + DAY, origin: m.template ? category : 'service' };
    const base = { wamid, recipient: c.waId };
    const statuses: StatusBody[] = [{ ...base, status: 'sent', at: t + 1000, ...convo, pricing }];
    let delivered = false;
    let readAt: number | null = null;
    const failRoll = this.rng.next();
    if (!m.template && !inWindow) {
      statuses.push({ ...base, status: 'failed', at: t + 2000, error: { code: 131047, title: 'Re-engagement message' } });
    } else if (failRoll < 0.02) {
      statuses.push({ ...base, status: 'failed', at: t + 2000, error: { code: 131026, title: 'Message undeliverable' } });
    } else {
      delivered = true;
      statuses.push({ ...base, status: 'delivered', at: t + this.rng.int(2, 10) * 1000, ...convo, pricing });
      if (this.rng.chance(m.template ? 0.62 : 0.85)) {
        readAt = t + Math.min(2 * DAY, Math.round(this.rng.logNormal(90, 1.6) * 1000)) + 11_000;
        statuses.push({ ...base, status: 'read', at: readAt });
      }
    }
    // Meta batches some statuses and delivers others late or out of order.
    if (this.rng.chance(0.2) && statuses.length >= 2) {
      day.webhook(statuses[1]!.at, statusPayload(c.number, statuses.slice(0, 2)));
      for (const s of statuses.slice(2)) day.webhook(s.at, statusPayload(c.number, [s]));
    } else {
      for (const s of statuses) day.webhook(s.at + this.rng.int(-1500, 1500), statusPayload(c.number, [s]));
    }
    return { wamid, delivered, readAt };
  }

  private customerText(c: DemoCustomer, intent: Intent, product: Product): string {
    return fill(this.rng.pick(CUSTOMER_TEXTS[intent][c.lang]), product, c);
  }

  private agentText(c: DemoCustomer, intent: Intent, product: Product): string {
    return fill(this.rng.pick(AGENT_TEXTS[intent][c.lang]), product, c);
  }

  /** The agent who takes a session starting at local `hour`, and when they can start. */
  private pickAgent(c: DemoCustomer, t: number, dayStart: number): { agent: DemoAgent; availableAt: number } {
    const team = AGENTS.filter((a) => a.country === c.number.country);
    const hour = Math.floor((t - dayStart) / HOUR);
    const onShift = team.filter((a) => hour >= a.shift[0] && hour < a.shift[1]);
    if (onShift.length > 0) return { agent: this.rng.pick(onShift), availableAt: t };
    // Off hours: the first shift that opens next takes it.
    const next = team.map((a) => ({ a, at: dayStart + a.shift[0] * HOUR + (hour >= a.shift[0] ? DAY : 0) })).sort((x, y) => x.at - y.at)[0]!;
    return { agent: next.a, availableAt: next.at + this.rng.int(0, 20) * MINUTE };
  }

  private replyDelay(agent: DemoAgent): number {
    return Math.max(8, this.rng.logNormal(agent.medianReplySeconds, 0.7)) * 1000;
  }

  /** One customer-initiated session: a burst, maybe a bot, an agent's reply, follow-ups, resolution. */
  session(day: DayBuffer, c: DemoCustomer, t0: number, nearChurn: boolean): void {
    const rng = this.rng;
    const intent: Intent = nearChurn && rng.chance(0.6) ? 'complaint' : INTENTS[rng.weighted(INTENT_WEIGHTS)]!;
    const product = rng.pick(PRODUCTS);
    const burst = 1 + (rng.chance(0.45) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
    let t = t0;
    for (let i = 0; i < burst; i++) {
      if (i > 0) t += rng.int(8, 90) * 1000;
      const roll = rng.next();
      const text = this.customerText(c, i === 0 ? intent : rng.pick(['price', 'discount', 'delivery', 'payment'] as Intent[]), product);
      if (roll < 0.04) this.inbound(day, c, t, { type: 'image', mediaId: `${900000000 + this.wamidSeq}`, mime: 'image/jpeg', caption: text });
      else if (roll < 0.05 && i > 0) this.inbound(day, c, t, { type: 'sticker', mediaId: `${800000000 + this.wamidSeq}` });
      else if (roll < 0.06 && intent === 'delivery') this.inbound(day, c, t, { type: 'location', latitude: 22.3 + rng.int(0, 100) / 1000, longitude: 114.17 + rng.int(0, 100) / 1000, name: 'Home' });
      else if (roll < 0.07) this.inbound(day, c, t, { type: 'audio', mediaId: `${700000000 + this.wamidSeq}` });
      else this.inbound(day, c, t, { type: 'text', text });
    }
    const ticketId = `t-${++this.ticketSeq}`;
    const hour = Math.floor((t0 - day.start) / HOUR);
    if (hour < 9 || hour >= 21 || rng.chance(0.2)) {
      this.outbound(day, c, t0 + rng.int(2, 6) * 1000, { kind: 'bot', agentId: null, text: BOT_TEXTS[c.lang], ticketId });
    }
    if (rng.chance(nearChurn ? 0.25 : 0.06)) return; // never answered

    const { agent, availableAt } = this.pickAgent(c, t0, day.start);
    day.scrm(t0 + 5000, scrm.conversationEvent('assigned', t0 + 5000, ticketId, c.waId, agent.agentId, c.number.phoneNumberId));
    let reply = Math.max(availableAt, t0) + this.replyDelay(agent);
    if (reply <= t) reply = t + rng.int(5, 40) * 1000;
    let last = reply;
    const first = this.outbound(day, c, reply, { kind: 'agent', agentId: agent.agentId, text: this.agentText(c, intent, product), ticketId });

    if (first.readAt !== null && rng.chance(0.03)) {
      this.inbound(day, c, first.readAt + 20_000, { type: 'reaction', messageId: first.wamid, emoji: rng.pick(['👍', '🙏', '❤️', '😂']) });
    }
    // An early product video nudges the customer towards ordering.
    let sentVideo = false;
    if (['price', 'availability', 'quote', 'discount'].includes(intent) && rng.chance(0.3)) {
      last += rng.int(20, 120) * 1000;
      this.outbound(day, c, last, { kind: 'agent', agentId: agent.agentId, text: `🎬 ${product.names[0]} video`, ticketId, media: 'video' });
      sentVideo = true;
    }
    const rounds = rng.chance(0.45) ? 1 + (rng.chance(0.3) ? 1 : 0) : 0;
    for (let r = 0; r < rounds; r++) {
      const followIntent: Intent = intent === 'complaint' ? 'complaint' : rng.pick(['thanks', 'payment', 'delivery', 'discount'] as Intent[]);
      const ct = last + rng.int(1, 15) * MINUTE;
      this.inbound(day, c, ct, { type: 'text', text: this.customerText(c, followIntent, product) });
      if (followIntent === 'thanks' && rng.chance(0.5)) {
        last = ct;
        continue;
      }
      last = ct + this.replyDelay(agent);
      this.outbound(day, c, last, { kind: 'agent', agentId: agent.agentId, text: this.agentText(c, followIntent, product), ticketId });
    }
    if (['price', 'quote', 'availability', 'discount'].includes(intent) && rng.chance(0.4)) this.deal(day, c, product, reply, agent, sentVideo);
    if (rng.chance(0.88)) {
      const resolvedAt = last + rng.int(5, 40) * MINUTE;
      day.scrm(resolvedAt, scrm.conversationEvent('resolved', resolvedAt, ticketId, c.waId, agent.agentId, c.number.phoneNumberId));
      if (rng.chance(0.05)) {
        const reopenAt = resolvedAt + rng.int(1, 6) * HOUR;
        this.inbound(day, c, reopenAt - 1000, { type: 'text', text: this.customerText(c, 'complaint', product) });
        day.scrm(reopenAt, scrm.conversationEvent('reopened', reopenAt, ticketId, c.waId, null, c.number.phoneNumberId));
        const again = reopenAt + this.replyDelay(agent);
        this.outbound(day, c, again, { kind: 'agent', agentId: agent.agentId, text: this.agentText(c, 'complaint', product), ticketId });
        if (rng.chance(0.7)) day.scrm(again + 10 * MINUTE, scrm.conversationEvent('resolved', again + 10 * MINUTE, ticketId, c.waId, agent.agentId, c.number.phoneNumberId));
      } else if (rng.chance(0.3)) {
        const fast = agent.medianReplySeconds < 150;
        day.scrm(resolvedAt + 2 * MINUTE, scrm.csatAnswered(resolvedAt + 2 * MINUTE, ticketId, fast ? rng.int(4, 5) : rng.int(2, 4)));
      }
    }
  }

  /** A quote that may become an order (cash on delivery or card) and a payment. */
  private deal(day: DayBuffer, c: DemoCustomer, product: Product, quotedAt: number, agent: DemoAgent, sentVideo: boolean): void {
    const rng = this.rng;
    const quantity = rng.chance(0.8) ? 1 : rng.int(2, 10);
    const hk = c.number.country === 'HK';
    const paymentMethod = rng.chance(0.45) ? 'cod' : 'card';
    const stages: DemoDeal['stages'] = [{ stage: 'quoted', at: quotedAt }];
    if (rng.chance(sentVideo ? 0.55 : 0.35)) {
      const orderedAt = quotedAt + Math.round(rng.logNormal(sentVideo ? 0.6 : 1.4, 0.8) * DAY);
      stages.push({ stage: 'ordered', at: orderedAt });
      this.outbound(day, c, orderedAt, { kind: 'template', agentId: null, text: TEMPLATES.order.text[c.lang], template: TEMPLATES.order });
      if (rng.chance(paymentMethod === 'card' ? 0.97 : 0.82)) stages.push({ stage: 'paid', at: orderedAt + (paymentMethod === 'card' ? rng.int(1, 10) * MINUTE : rng.int(2, 4) * DAY) });
    } else {
      stages.push({ stage: 'lost', at: quotedAt + rng.int(7, 14) * DAY });
      if (rng.chance(0.3)) {
        // A follow-up days later, outside the 24-hour window: Meta refuses most of these.
        const followAt = quotedAt + rng.int(2, 3) * DAY;
        this.outbound(day, c, followAt, { kind: 'agent', agentId: agent.agentId, text: c.lang === 'ko' ? '견적 검토해 보셨나요?' : c.lang === 'yue' ? '請問考慮成點呀？' : 'Any thoughts on the quote?', ticketId: null });
      }
    }
    this.deals.push({
      dealId: `D${String(++this.dealSeq).padStart(7, '0')}`,
      customer: c,
      product,
      productName: rng.pick(product.names),
      quantity,
      amount: quantity * (hk ? product.priceHkd : product.priceKrw),
      currency: hk ? 'HKD' : 'KRW',
      stages,
      paymentMethod,
    });
  }

  /** The Thursday promotion: a marketing template to part of the base, some clicks and replies. */
  campaign(day: DayBuffer, customers: readonly DemoCustomer[], d: number, at: number, date: string): void {
    const rng = this.rng;
    const campaignId = `cmp-${date}`;
    let t = at;
    for (const c of customers) {
      if (c.firstDay > d || !rng.chance(0.12)) continue;
      t += rng.int(100, 1500);
      const sent = this.outbound(day, c, t, { kind: 'template', agentId: null, text: TEMPLATES.promo.text[c.lang], template: TEMPLATES.promo, campaignId });
      if (sent.delivered && rng.chance(0.08)) {
        const clickAt = (sent.readAt ?? t) + rng.int(5, 1800) * 1000;
        day.scrm(clickAt, scrm.linkClicked(clickAt, sent.wamid, `https://shop.example.hk/promo?c=${campaignId}`));
      }
      if (sent.readAt !== null && rng.chance(0.04)) {
        this.inbound(day, c, sent.readAt + rng.int(10, 600) * 1000, { type: 'button', payload: 'PROMO_INTERESTED', text: c.lang === 'ko' ? '관심 있어요' : c.lang === 'yue' ? '有興趣' : 'Interested', contextId: sent.wamid });
      }
    }
  }
}

function fill(template: string, product: Product, c: DemoCustomer): string {
  const name = c.lang === 'ko' && product.names.length > 2 ? product.names[2]! : product.names[0]!;
  const price = c.number.country === 'HK' ? `HK$${product.priceHkd.toLocaleString('en-US')}` : `₩${product.priceKrw.toLocaleString('en-US')}`;
  return template.replaceAll('{p}', name).replaceAll('{price}', price);
}

/** The languages used, for documentation and tests. */
export const DEMO_LANGS: readonly Lang[] = ['yue', 'en', 'ko'];
