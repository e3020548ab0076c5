type Listener = () => void;
const listeners = new Set<Listener>();

/** Asks the app to show the token dialog (from an error block or the header). */
export function requestToken(): void {
  for (const l of listeners) l();
}

/** Subscribes the token dialog to requests; returns the unsubscribe. */
export function onTokenRequest(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
