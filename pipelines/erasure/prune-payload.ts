type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Removes one person from a Meta webhook payload: their contacts, messages and statuses
 * (matched by wa_id, from, recipient_id). Other people in the same payload stay. Returns
 * the payload text, or null when nothing is left of it.
 */
export function prunePayload(text: string, waIds: ReadonlySet<string>): string | null {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(payload) || !Array.isArray(payload.entry)) return null;
  const mine = (v: unknown) => waIds.has(String(v ?? '').replace(/^\+/, ''));
  const entries = payload.entry
    .map((entry) => {
      if (!isObj(entry) || !Array.isArray(entry.changes)) return null;
      const changes = entry.changes
        .map((change) => {
          if (!isObj(change) || !isObj(change.value)) return null;
          const value: Obj = { ...change.value };
          let traffic = 0;
          for (const [key, field] of [['contacts', 'wa_id'], ['messages', 'from'], ['statuses', 'recipient_id']] as const) {
            if (!Array.isArray(value[key])) continue;
            const kept = (value[key] as unknown[]).filter((item) => !(isObj(item) && mine(item[field])));
            if (kept.length === 0) delete value[key];
            else value[key] = kept;
            if (key !== 'contacts') traffic += kept.length;
          }
          return traffic === 0 ? null : { ...change, value };
        })
        .filter((c) => c !== null);
      return changes.length === 0 ? null : { ...entry, changes };
    })
    .filter((e) => e !== null);
  return entries.length === 0 ? null : JSON.stringify({ ...payload, entry: entries });
}
