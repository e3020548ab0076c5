/**
 * Progress for long work: a line rewritten in place on a terminal; plain log lines at most
 * every few seconds otherwise (CI logs, pipes).
 */
export interface Progress {
  update(text: string): void;
  done(text: string): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string, intervalMs = 5000): Progress {
  const tty = stream.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (tty) {
        if (now - last < 100) return;
        last = now;
        stream.write(`\r\x1b[K${label}: ${text}`);
        shown = true;
      } else if (now - last >= intervalMs) {
        last = now;
        stream.write(`${label}: ${text}\n`);
      }
    },
    done(text) {
      if (tty && shown) stream.write('\r\x1b[K');
      stream.write(`${label}: ${text}\n`);
    },
  };
}
