// A progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI logs or --json).
import type { Io } from "./io.js";

export interface Progress {
  update(done: number, total: number | null, note?: string): void;
  done(): void;
}

export function createProgress(io: Io, label: string, options: { enabled?: boolean } = {}): Progress {
  const enabled = (options.enabled ?? true) && io.interactive;
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note) {
      if (!enabled) return;
      const t = Date.now();
      if (t - last < 80) return;
      last = t;
      const width = 28;
      let bar: string;
      if (total !== null && total > 0) {
        const share = Math.min(1, done / total);
        const filled = Math.round(share * width);
        bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
      } else {
        bar = `${done}`;
      }
      process.stderr.write(`\r\u001b[2K${label} ${bar}${note ? `  ${note}` : ""}`);
      drawn = true;
    },
    done() {
      if (enabled && drawn) process.stderr.write("\r\u001b[2K");
    },
  };
}
