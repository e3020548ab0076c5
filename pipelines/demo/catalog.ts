/**
 * The demo shop: a Hong Kong / Korea electronics and home-appliance seller on WhatsApp.
 * Fixed lists only; the simulation draws from them.
 */

/** A WhatsApp business number of the shop. */
export interface BusinessNumber {
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly wabaId: string;
  readonly country: 'HK' | 'KR';
}

export const BUSINESS_NUMBERS: readonly BusinessNumber[] = [
  { phoneNumberId: '1098765', displayPhoneNumber: '85230012345', wabaId: '102290129340398', country: 'HK' },
  { phoneNumberId: '2087654', displayPhoneNumber: '82234567890', wabaId: '102290129340398', country: 'KR' },
];

/** A human agent: speed is the median reply delay in seconds while on shift. */
export interface DemoAgent {
  readonly agentId: string;
  readonly name: string;
  readonly team: 'sales' | 'support';
  readonly country: 'HK' | 'KR';
  readonly medianReplySeconds: number;
  /** Local shift hours [start, end). */
  readonly shift: readonly [number, number];
}

export const AGENTS: readonly DemoAgent[] = [
  { agentId: 'a1', name: 'Mandy Lau', team: 'sales', country: 'HK', medianReplySeconds: 55, shift: [9, 18] },
  { agentId: 'a2', name: 'Kenny Wong', team: 'sales', country: 'HK', medianReplySeconds: 95, shift: [10, 19] },
  { agentId: 'a3', name: 'Joyce Cheung', team: 'support', country: 'HK', medianReplySeconds: 150, shift: [12, 21] },
  { agentId: 'a4', name: 'Ivan Ho', team: 'support', country: 'HK', medianReplySeconds: 420, shift: [9, 18] },
  { agentId: 'a5', name: 'Park Ji-won', team: 'sales', country: 'KR', medianReplySeconds: 70, shift: [9, 18] },
  { agentId: 'a6', name: 'Kim Min-jun', team: 'support', country: 'KR', medianReplySeconds: 240, shift: [11, 20] },
  { agentId: 'a7', name: 'Lee Seo-yeon', team: 'sales', country: 'KR', medianReplySeconds: 130, shift: [13, 22] },
];

/** A product: price in the local currency of each market. */
export interface Product {
  readonly sku: string;
  readonly names: readonly string[];
  readonly priceHkd: number;
  readonly priceKrw: number;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'APL-IP15PM', names: ['iPhone 15 Pro Max', 'iPhone15 Pro Max', 'iphone 15 pro max'], priceHkd: 9399, priceKrw: 1_900_000 },
  { sku: 'APL-IP15', names: ['iPhone 15', 'iphone15'], priceHkd: 6899, priceKrw: 1_250_000 },
  { sku: 'SAM-S24U', names: ['Galaxy S24 Ultra', 'S24 Ultra', '갤럭시 S24 울트라'], priceHkd: 9598, priceKrw: 1_698_000 },
  { sku: 'APL-APP2', names: ['AirPods Pro 2', 'AirPods Pro'], priceHkd: 1849, priceKrw: 359_000 },
  { sku: 'DYS-V15', names: ['Dyson V15', 'Dyson V15 Detect'], priceHkd: 5990, priceKrw: 1_190_000 },
  { sku: 'SNY-WH1000XM5', names: ['Sony WH-1000XM5', 'XM5'], priceHkd: 2899, priceKrw: 459_000 },
  { sku: 'NIN-SWOLED', names: ['Switch OLED', 'Nintendo Switch OLED'], priceHkd: 2680, priceKrw: 415_000 },
];

/** Customer languages: Cantonese, English, Korean. */
export type Lang = 'yue' | 'en' | 'ko';

/** What a customer wants in a session. */
export type Intent = 'price' | 'availability' | 'discount' | 'delivery' | 'quote' | 'payment' | 'complaint' | 'return' | 'thanks';

export const INTENTS: readonly Intent[] = ['price', 'availability', 'discount', 'delivery', 'quote', 'payment', 'complaint', 'return', 'thanks'];
/** How often each intent opens a session (same order as INTENTS). */
export const INTENT_WEIGHTS: readonly number[] = [25, 10, 15, 15, 10, 8, 7, 5, 5];

// Name pools. Large enough that two customers rarely share a name by chance (identity
// resolution merges numbers by name similarity): given names are built from syllables.
const HK_SURNAMES = [
  'Chan', 'Wong', 'Lee', 'Cheung', 'Lau', 'Ho', 'Ng', 'Leung', 'Tam', 'Yip', 'Chow', 'Kwok', 'Lam', 'Tsang', 'Fung', 'Mak', 'Chu', 'Tse', 'Law', 'Yeung',
  'Lo', 'Choi', 'Poon', 'Kwan', 'Siu', 'Chung', 'Hui', 'Sze', 'Tong', 'Yuen', 'Ma', 'Au', 'Cheng', 'Tang', 'Luk',
];
const HK_SYLLABLES = ['Ka', 'Wing', 'Siu', 'Chi', 'Mei', 'Ho', 'Hoi', 'Kin', 'Suet', 'Tai', 'Man', 'Ming', 'Yan', 'Sze', 'Keung', 'Ling', 'Yin', 'Ying', 'Wai', 'Yi', 'Pui', 'Shan', 'Hei', 'Lok', 'Tsz', 'Chun', 'Hin', 'Fai', 'Kit', 'Wah', 'Yee', 'Kei'];
const HK_GIVEN = HK_SYLLABLES.flatMap((a) => HK_SYLLABLES.filter((b) => b !== a).map((b) => `${a} ${b}`));
const EN_GIVEN = [
  'Mandy', 'Kelvin', 'Cathy', 'Jason', 'Winnie', 'Eric', 'Karen', 'Ryan', 'Tiffany', 'Alan', 'Grace', 'Daniel', 'Vincent', 'Gloria', 'Terence', 'Fiona', 'Raymond', 'Queenie',
  'Brian', 'Cherry', 'Derek', 'Elaine', 'Felix', 'Hazel', 'Ivan', 'Joanne', 'Kenneth', 'Louisa', 'Marco', 'Natalie', 'Oscar', 'Phoebe', 'Samuel', 'Rachel', 'Timothy',
  'Vivian', 'Wilson', 'Yvonne', 'Anson', 'Bonnie', 'Calvin', 'Doris', 'Edmond', 'Florence', 'Gordon', 'Heidi', 'Jacky', 'Kitty', 'Leo', 'Maggie', 'Nelson', 'Olivia',
  'Patrick', 'Rosanna', 'Stanley', 'Teresa', 'Victor', 'Wendy', 'Angus', 'Bella',
];
const KR_SURNAMES = ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Oh', 'Seo', 'Shin', 'Kwon', 'Hwang', 'Ahn', 'Song', 'Jeon', 'Hong'];
const KR_SYLLABLES = ['min', 'seo', 'ji', 'ha', 'do', 'eun', 'hyun', 'su', 'ye', 'jun', 'yeon', 'ho', 'woo', 'bin', 'jin', 'young', 'hee', 'sung', 'tae', 'kyung', 'na', 'won', 'hye', 'yu'];
const KR_GIVEN = KR_SYLLABLES.flatMap((a) => KR_SYLLABLES.filter((b) => b !== a).map((b) => `${a[0]!.toUpperCase()}${a.slice(1)}-${b}`));
const HANGUL_SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '전', '홍'];
const HANGUL_SYLLABLES = ['민', '서', '지', '하', '도', '은', '현', '수', '예', '준', '연', '호', '우', '빈', '진', '영', '희', '성', '태', '경', '나', '원', '혜', '유'];
const KR_HANGUL = HANGUL_SURNAMES.flatMap((s) => HANGUL_SYLLABLES.flatMap((a) => HANGUL_SYLLABLES.filter((b) => b !== a).map((b) => `${s}${a}${b}`)));

/** Name pools per market and language, drawn from by index. */
export const NAMES = { HK_SURNAMES, HK_GIVEN, EN_GIVEN, KR_SURNAMES, KR_GIVEN, KR_HANGUL };

type Texts = Readonly<Record<Lang, readonly string[]>>;

/** What customers write, by intent and language; `{p}` is a product name. */
export const CUSTOMER_TEXTS: Readonly<Record<Intent, Texts>> = {
  price: {
    yue: ['{p} 幾錢呀？', '請問{p}而家賣幾多錢？', '{p} 有冇現貨？價錢係？', '想問下{p}嘅價錢 🙏'],
    en: ['How much is the {p}?', 'Hi, what is the price of {p}?', 'Price for {p} please 🙏', 'Is the {p} still HK$ price same as website?'],
    ko: ['{p} 가격이 얼마예요?', '{p} 얼마인가요?', '안녕하세요 {p} 가격 알려주세요 🙏', '{p} 지금 가격 어떻게 돼요?'],
  },
  availability: {
    yue: ['{p} 有冇貨？', '{p} 幾時有貨呀？', '門市有冇{p}？'],
    en: ['Do you have the {p} in stock?', 'When will {p} be back in stock?', 'Is {p} available in black?'],
    ko: ['{p} 재고 있나요?', '{p} 언제 입고돼요?', '{p} 블랙 색상 있어요?'],
  },
  discount: {
    yue: ['有冇折扣呀？', '{p} 有冇優惠？😊', '今個禮拜有冇折扣碼？', '買兩部有冇折扣？'],
    en: ['Any discount this week?', 'Do you have a promo code for {p}? 😊', 'Is there a discount if I buy two?', 'Any student discount?'],
    ko: ['할인 있나요?', '{p} 할인 코드 있어요? 😊', '두 개 사면 할인돼요?', '이번 주 할인 행사 있나요?'],
  },
  delivery: {
    yue: ['幾時送到呀？', '可唔可以送去將軍澳？', '我張單幾時出貨？📦', '送貨要幾多日？'],
    en: ['When will my order arrive?', 'Do you deliver to Kowloon Tong?', 'How many days for delivery? 📦', 'Can I get same-day delivery?'],
    ko: ['배송은 언제 되나요?', '배송이 얼마나 걸려요? 📦', '제 주문 언제 발송되나요?', '오늘 주문하면 내일 도착해요?'],
  },
  quote: {
    yue: ['我想要{p}嘅報價', '公司想買10部{p}，可以報價嗎？', '麻煩報價 {p} x 3'],
    en: ['Can I get a quote for 5 x {p}?', 'Please send a quote for {p}', 'We need a quote for our office, {p} x 10'],
    ko: ['{p} 견적 부탁드려요', '{p} 10대 견적 받을 수 있을까요?', '회사용으로 {p} 견적 주세요'],
  },
  payment: {
    yue: ['可唔可以貨到付款？', '收唔收信用卡？💳', '可以用 FPS 俾錢嗎？'],
    en: ['Can I pay cash on delivery?', 'Do you accept credit card? 💳', 'Can I pay by FPS?'],
    ko: ['착불 결제 가능한가요?', '카드 결제 되나요? 💳', '무통장 입금 가능해요?'],
  },
  complaint: {
    yue: ['點解仲未送到？好失望 😡', '部機有問題，我要投訴', '等咗成個禮拜都冇人覆，太差啦 😡', '收到嘅貨爛咗，我要投訴'],
    en: ['Why has my order not arrived yet? Very disappointed 😡', 'I want to file a complaint, the item is broken', 'Still waiting for a reply, terrible service 😡', 'This is not acceptable, I want a refund'],
    ko: ['배송이 너무 늦어요 불만입니다 😡', '제품이 고장났어요 불만 접수하고 싶어요', '답장이 너무 늦어요 실망이에요 😡', '이건 아니죠 환불해 주세요'],
  },
  return: {
    yue: ['可唔可以退貨？', '我想換貨，點做？'],
    en: ['How do I return the {p}?', 'Can I exchange it for another colour?'],
    ko: ['반품 어떻게 해요?', '교환 가능한가요?'],
  },
  thanks: {
    yue: ['唔該晒！😊', '收到，多謝 🙏', '好快手，正！👍'],
    en: ['Thanks a lot! 😊', 'Got it, thank you 🙏', 'Great service 👍'],
    ko: ['감사합니다! 😊', '네 알겠습니다 감사해요 🙏', '빠른 답변 감사합니다 👍'],
  },
};

/** What agents answer, by intent and language; `{p}` product, `{price}` price. */
export const AGENT_TEXTS: Readonly<Record<Intent, Texts>> = {
  price: {
    yue: ['{p} 而家售 {price}，有現貨 😊', '你好！{p} 價錢係 {price}'],
    en: ['Hi! The {p} is {price}, in stock now 😊', 'The {p} costs {price}.'],
    ko: ['안녕하세요! {p} 가격은 {price}입니다 😊', '{p}는 {price}이고 재고 있습니다.'],
  },
  availability: {
    yue: ['{p} 有現貨，今日落單聽日送到', '{p} 下星期到貨，可以幫你留'],
    en: ['Yes, the {p} is in stock, order today and it ships tomorrow', 'The {p} arrives next week, shall I reserve one?'],
    ko: ['{p} 재고 있습니다, 오늘 주문하시면 내일 발송돼요', '{p}는 다음 주 입고 예정이에요, 예약해 드릴까요?'],
  },
  discount: {
    yue: ['今個禮拜用 SAVE10 有九折優惠 🎉', '買兩件有95折'],
    en: ['Use code SAVE10 for 10% off this week 🎉', 'Buy two and get 5% off.'],
    ko: ['이번 주 SAVE10 코드로 10% 할인돼요 🎉', '두 개 구매 시 5% 할인됩니다.'],
  },
  delivery: {
    yue: ['你張單已經出貨，1-2 日送到 📦', '我哋全港送貨，2 日內到'],
    en: ['Your order has shipped and arrives in 1-2 days 📦', 'We deliver everywhere, within 2 days.'],
    ko: ['주문하신 상품 발송되었어요, 1-2일 내 도착합니다 📦', '전국 배송 가능하고 2일 내 도착해요.'],
  },
  quote: {
    yue: ['報價：{p} 每部 {price}，10 部以上再有折扣', '已經 send 咗報價單俾你'],
    en: ['Quote: {p} at {price} each, extra discount above 10 units', 'I have sent you the quote.'],
    ko: ['견적: {p} 개당 {price}, 10대 이상 추가 할인 가능합니다', '견적서 보내드렸습니다.'],
  },
  payment: {
    yue: ['可以貨到付款，亦收信用卡同 FPS', '收 Visa / Master 💳'],
    en: ['Cash on delivery is fine, we also take cards and FPS', 'We accept Visa and Mastercard 💳'],
    ko: ['착불 가능하고 카드 결제도 됩니다', '비자, 마스터 카드 결제 가능해요 💳'],
  },
  complaint: {
    yue: ['非常抱歉！我即刻幫你跟進 🙏', '唔好意思，我哋會盡快處理'],
    en: ['So sorry about that! I am following up right now 🙏', 'Apologies, we will sort this out today.'],
    ko: ['정말 죄송합니다! 바로 확인해 드릴게요 🙏', '불편을 드려 죄송합니다, 빠르게 처리하겠습니다.'],
  },
  return: {
    yue: ['7 日內可以退貨，我 send 表格俾你', '可以換貨，帶埋單據嚟門市'],
    en: ['Returns are accepted within 7 days, I will send you the form', 'Exchanges are fine, just bring the receipt.'],
    ko: ['7일 이내 반품 가능하고 양식 보내드릴게요', '영수증 지참하시면 교환 가능합니다.'],
  },
  thanks: {
    yue: ['唔使客氣！😊', '多謝支持 🙏'],
    en: ['You are welcome! 😊', 'Thank you for shopping with us 🙏'],
    ko: ['천만에요! 😊', '이용해 주셔서 감사합니다 🙏'],
  },
};

/** The bot's auto-reply, by language. */
export const BOT_TEXTS: Readonly<Record<Lang, string>> = {
  yue: '多謝你嘅訊息！我哋嘅同事會盡快回覆你 🤖',
  en: 'Thanks for your message! One of our team will reply shortly 🤖',
  ko: '메시지 감사합니다! 곧 상담원이 답변드리겠습니다 🤖',
};

/** Marketing and utility templates, by language. */
export const TEMPLATES = {
  promo: { name: 'weekly_promo', category: 'marketing', text: { yue: '本週優惠：精選電子產品低至八折！🎉', en: 'This week only: selected electronics up to 20% off! 🎉', ko: '이번 주 특가: 인기 전자제품 최대 20% 할인! 🎉' } },
  order: { name: 'order_update', category: 'utility', text: { yue: '你嘅訂單已確認，我哋會盡快出貨 📦', en: 'Your order is confirmed and will ship soon 📦', ko: '주문이 확인되었습니다. 곧 발송됩니다 📦' } },
} as const;
