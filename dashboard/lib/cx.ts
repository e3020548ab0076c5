/** Joins class names, leaving out false, null and undefined (Tremor's `cx` habit). */
export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(' ');
}
