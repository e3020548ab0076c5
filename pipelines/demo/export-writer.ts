import fs from 'node:fs';
import path from 'node:path';
import { AGENT_TEXTS, CUSTOMER_TEXTS, INTENTS, INTENT_WEIGHTS, PRODUCTS, type Intent, type Lang, type Product } from './catalog.ts';
import type { DemoWorld, DemoWriter } from './demo-writer.ts';
import { ANDROID_EN_GB, ANDROID_EN_US, ANDROID_KO, IOS_ZH_HK, type ExportLayout } from './export-layouts.ts';
import { addDays } from './local-time.ts';
import { Random } from './random.ts';

/**
 * The shop's third branch, a Tsim Sha Tsui counter that runs on the WhatsApp Business app
 * instead of the API: its staff export chats from their phones (Android in English and
 * Korean, an iPhone in Chinese). Its customers are its own, not in the webhook data, so no
 * message is counted twice. The staff names are the shipped `config/business.json`.
 */

/** One exported chat of the branch. */
interface DemoChat {
  readonly title: string;
  readonly layout: ExportLayout;
  readonly staff: string;
  readonly customers: readonly string[];
  readonly lang: Lang;
  /** Sessions the chat has per week. */
  readonly perWeek: number;
  /** A group's subject (iOS writes it as the author of group events). */
  readonly group?: string;
}

/** The branch's staff: the names their exports show for their own messages. */
export const EXPORT_STAFF = ['Shirley Tam', 'Kelly Ho', '윤지혜'] as const;

const CHATS: readonly DemoChat[] = [
  { title: 'Grace Yip', layout: ANDROID_EN_GB, staff: 'Shirley Tam', customers: ['Grace Yip'], lang: 'en', perWeek: 2 },
  { title: '+852 5123 4567', layout: ANDROID_EN_US, staff: 'Shirley Tam', customers: ['+852 5123 4567'], lang: 'en', perWeek: 0.7 },
  { title: '陳大文', layout: IOS_ZH_HK, staff: 'Kelly Ho', customers: ['陳大文'], lang: 'yue', perWeek: 1.5 },
  { title: '尖沙咀公司訂單', layout: IOS_ZH_HK, staff: 'Kelly Ho', customers: ['Peter Chan', 'Wong Ka Yan'], lang: 'yue', perWeek: 0.6, group: '尖沙咀公司訂單' },
  { title: '김하늘', layout: ANDROID_KO, staff: '윤지혜', customers: ['김하늘'], lang: 'ko', perWeek: 1.5 },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The counter is open 10:00-20:00; customers write most in the afternoon. */
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1.5, 2, 2.5, 5, 5, 3, 2, 2, 1.5, 1, 0.5, 0, 0];
const LRM = '\u200e';

/** Writes a chat's lines in its phone's layout. */
class ChatScript {
  readonly lines: string[] = [];
  constructor(private readonly chat: DemoChat, private readonly endMs: number) {}

  message(at: number, author: string, text: string, note = false): void {
    if (at >= this.endMs) return;
    const mark = note && this.chat.layout.marks ? LRM : '';
    this.lines.push(`${mark}${this.chat.layout.header(at)}${author}: ${text}`);
  }

  /** A line WhatsApp writes itself: Android writes it bare, iOS as the chat's or group's "message". */
  system(at: number, text: string): void {
    if (at >= this.endMs) return;
    const l = this.chat.layout;
    if (!l.marks) this.lines.push(`${l.header(at)}${text}`);
    else this.lines.push(`${LRM}${l.header(at)}${this.chat.group ?? this.chat.customers[0]}: ${text.startsWith(LRM) ? text : LRM + text}`);
  }
}

function fill(text: string, product: Product, lang: Lang): string {
  const name = lang === 'ko' && product.names.length > 2 ? product.names[2]! : product.names[0]!;
  return text.replaceAll('{p}', name).replaceAll('{price}', `HK$${product.priceHkd.toLocaleString('en-US')}`);
}

/** One customer session: a burst, the staff member's reply (slower than API agents), sometimes a follow-up. */
function session(rng: Random, chat: DemoChat, script: ChatScript, t0: number, opening: boolean): void {
  const customer = rng.pick(chat.customers);
  const intent = INTENTS[rng.weighted(INTENT_WEIGHTS)]!;
  const product = rng.pick(PRODUCTS);
  const say = (i: Intent, who: 'customer' | 'staff') => fill(rng.pick((who === 'customer' ? CUSTOMER_TEXTS : AGENT_TEXTS)[i][chat.lang]), product, chat.lang);
  let t = t0;
  script.message(t, customer, say(intent, 'customer'));
  // A group opens with everyone in it asking.
  if (opening) for (const other of chat.customers.filter((c) => c !== customer)) script.message((t += rng.int(20, 120) * 1000), other, say('quote', 'customer'));
  if (rng.chance(0.35)) {
    const media = rng.chance(0.5);
    script.message((t += rng.int(10, 90) * 1000), customer, media ? chat.layout.mediaOmitted : say('price', 'customer'), media);
  }
  if (rng.chance(0.04)) script.message((t += rng.int(5, 30) * 1000), customer, chat.layout.deleted, true);
  if (!opening && rng.chance(0.08)) return; // not answered
  t += rng.int(2, 40) * MINUTE + rng.int(0, 59) * 1000;
  const reply = intent === 'quote' || (intent === 'price' && rng.chance(0.3)) ? quote(product, chat.lang) : say(intent, 'staff');
  script.message(t, chat.staff, reply);
  if (rng.chance(0.4)) {
    t += rng.int(1, 20) * MINUTE;
    script.message(t, customer, say(rng.pick(['thanks', 'payment', 'delivery'] as const), 'customer'));
    if (rng.chance(0.5)) script.message(t + rng.int(3, 25) * MINUTE, chat.staff, say('thanks', 'staff'));
  }
}

/** A multi-line quote, as staff type them on the phone. */
function quote(product: Product, lang: Lang): string {
  const price = `HK$${product.priceHkd.toLocaleString('en-US')}`;
  const name = fill('{p}', product, lang);
  if (lang === 'ko') return `견적서\n- ${name}: 개당 ${price}\n- 배송: 무료\n\n금요일까지 유효합니다`;
  if (lang === 'yue') return `報價\n- ${name}: 每部 ${price}\n- 送貨: 免費\n\n星期五前有效`;
  return `Quote\n- ${name}: ${price} each\n- Delivery: free\n\nValid until Friday`;
}

/** Writes the branch's chat exports into `landing/exports/`, the same bytes for the same seed. */
export const chatExportWriter: DemoWriter = {
  name: 'whatsapp-export',
  write(world: DemoWorld, landingDir: string): string[] {
    const { params } = world;
    const rng = new Random(`parley-demo-exports-${params.seed}`);
    const start = addDays(params.end, -params.days);
    const dayMs = (d: number) => Date.parse(`${addDays(start, d)}T00:00:00Z`);
    const endMs = dayMs(params.days);
    const written: string[] = [];
    for (const chat of CHATS) {
      const script = new ChatScript(chat, endMs);
      const first = rng.int(0, Math.max(0, Math.floor(params.days / 3)));
      const opened = dayMs(first) + rng.int(10, 12) * HOUR;
      if (chat.group) {
        script.system(opened, chat.layout.marks ? `${chat.staff} 已建立群組「${chat.group}」` : `${chat.staff} created group "${chat.group}"`);
        for (const c of chat.customers) script.system(opened + MINUTE, chat.layout.marks ? `${chat.staff} 已新增「${c}」` : `${chat.staff} added ${c}`);
      } else {
        script.system(opened, chat.layout.encrypted);
      }
      // The chat opened because the customer wrote the next day; later sessions come at the chat's rate.
      for (let d = first + 1; d < params.days; d++) {
        if (d > first + 1 && !rng.chance(chat.perWeek / 7)) continue;
        session(rng, chat, script, dayMs(d) + rng.weighted(HOUR_WEIGHTS) * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000, d === first + 1);
      }
      const file = path.join(landingDir, 'exports', chat.layout.fileName(chat.title));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const nl = chat.layout.marks ? '\r\n' : '\n';
      fs.writeFileSync(file, `${script.lines.join(nl)}${nl}`);
      written.push(file);
    }
    return written;
  },
};
