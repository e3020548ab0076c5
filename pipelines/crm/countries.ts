/** Country names in English, Korean and Chinese (and a few CRM spellings) -> ISO 3166 code. */
let byName: Map<string, string> | undefined;

function table(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  const locales = ['en', 'ko', 'zh-Hant', 'zh-Hans'].map((l) => new Intl.DisplayNames([l], { type: 'region' }));
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      for (const names of locales) {
        let name: string | undefined;
        try {
          name = names.of(code);
        } catch {
          name = undefined;
        }
        if (name && name !== code) byName.set(name.toLowerCase(), code);
      }
    }
  }
  const extra: Record<string, string> = {
    'hong kong': 'HK', '香港': 'HK', 'korea, republic of': 'KR', 'republic of korea': 'KR', korea: 'KR', 'hong kong sar': 'HK', 'hong kong sar china': 'HK',
    'hong kong, china': 'HK', hk: 'HK', hksar: 'HK', 'united states of america': 'US', usa: 'US', uk: 'GB', 'macau': 'MO', '香港特別行政區': 'HK', '한국': 'KR',
  };
  for (const [k, v] of Object.entries(extra)) byName.set(k, v);
  return byName;
}

/** The ISO code of a country written as a code or a name, or undefined when unknown. */
export function countryCode(text: string | null | undefined): string | undefined {
  const t = (text ?? '').trim().replace(/\.$/, '');
  if (t === '') return undefined;
  if (/^[A-Za-z]{2}$/.test(t) && table().has(new Intl.DisplayNames(['en'], { type: 'region' }).of(t.toUpperCase())?.toLowerCase() ?? '')) return t.toUpperCase();
  return table().get(t.toLowerCase());
}
