/**
 * How fast the whatsapp-export parser reads a big export: generates a 1,000,000-line chat
 * in memory (messages, multi-line messages, media placeholders, system lines) in two layouts
 * and parses each whole, bytes to raw rows with ids and instants, as the source does.
 *
 *   node bin/run-ts.js bench/export-parse.bench.ts [lines]
 *
 * Not part of `npm test`. Measured on 2 shared cores, Node 20: about 7-9 s per million lines
 * (115-140k lines/s) for either layout, ~2.6 GB peak RSS with three parses in a row.
 */
import { PhoneNormaliser } from '../pipelines/phones.ts';
import { parseExportFile } from '../pipelines/sources/whatsapp-export/parse-export.ts';
import { ZonedClock } from '../pipelines/sources/whatsapp-export/zoned-clock.ts';
import { ANDROID_EN_GB, IOS_ZH_HK, type ExportLayout } from '../pipelines/demo/export-layouts.ts';
import { Random } from '../pipelines/demo/random.ts';

const LINES = Number(process.argv[2] ?? 1_000_000);

/** A chat of `lines` lines in `layout`, time moving forward a few seconds to minutes per message. */
function generate(layout: ExportLayout, lines: number): Buffer {
  const rng = new Random('export-bench');
  const out: string[] = [layout.header(Date.UTC(2023, 0, 1, 9, 0)) + (layout.marks ? `Grace Yip: ${layout.encrypted}` : layout.encrypted)];
  let t = Date.UTC(2023, 0, 1, 9, 0);
  const texts = ['How much is the iPhone 15 Pro Max?', 'Can I pay cash on delivery?', '幾時送到呀？', '배송은 언제 되나요?', 'Thanks a lot! 😊', 'ok'];
  while (out.length < lines) {
    t += rng.int(5, 600) * 1000;
    const who = rng.chance(0.55) ? 'Grace Yip' : 'Shirley Tam';
    const r = rng.next();
    if (r < 0.05) out.push(`${layout.marks ? '\u200e' : ''}${layout.header(t)}${who}: ${layout.mediaOmitted}`);
    else if (r < 0.06) out.push(`${layout.marks ? '\u200e' : ''}${layout.header(t)}${who}: ${layout.deleted}`);
    else if (r < 0.14) out.push(`${layout.header(t)}${who}: Quote`, '- iPhone 15: HK$6,899 each', '', 'Valid until Friday');
    else out.push(`${layout.header(t)}${who}: ${rng.pick(texts)}`);
  }
  out.length = lines;
  return Buffer.from(`${out.join('\n')}\n`);
}

for (const layout of [ANDROID_EN_GB, IOS_ZH_HK]) {
  const bytes = generate(layout, LINES);
  const opts = { businessNames: ['Shirley Tam'], clock: new ZonedClock('Asia/Hong_Kong'), phones: new PhoneNormaliser('HK') };
  const times: number[] = [];
  let parsed: ReturnType<typeof parseExportFile> | undefined;
  for (let run = 0; run < 3; run++) {
    parsed = undefined;
    const t0 = performance.now();
    parsed = parseExportFile(bytes, `/bench/WhatsApp Chat with Grace Yip.txt`, 'bench', opts);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[1]!;
  const t = parsed!.tally!;
  console.log(
    `${layout.name}: ${LINES.toLocaleString('en-US')} lines (${(bytes.length / 1e6).toFixed(1)} MB) -> ${parsed!.rows.length.toLocaleString('en-US')} messages, ` +
      `${t.system} system, ${t.continuations} continuation, ${t.quarantined} quarantined lines; median of 3: ${(median / 1000).toFixed(2)} s = ` +
      `${Math.round(LINES / (median / 1000)).toLocaleString('en-US')} lines/s (runs: ${times.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`,
  );
}
