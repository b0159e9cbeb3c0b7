// Where commands write: stdout for results (tables or JSON), stderr for progress, warnings and errors.
// Colour only on a TTY and never when NO_COLOR is set (https://no-color.org).

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Prints a value as one JSON document on stdout. */
  json(value: unknown): void;
  /** stderr is a terminal: progress bars and spinners may be drawn. */
  readonly interactive: boolean;
  readonly stdinIsTty: boolean;
  readonly color: boolean;
  paint(style: Style, text: string): string;
  /** Exit code raised by a command that finished with partial success (3) without throwing. */
  exitCode: number;
}

export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

export function createIo(env: Readonly<Record<string, string | undefined>> = process.env): Io {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const color = !noColor && process.stdout.isTTY === true && env.TERM !== "dumb";
  const io: Io = {
    out: (text) => {
      process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    err: (text) => {
      process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    json: (value) => {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    interactive: process.stderr.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    color,
    paint: (style, text) => {
      if (!color) return text;
      const [a, b] = CODES[style];
      return `\u001b[${a}m${text}\u001b[${b}m`;
    },
    exitCode: 0,
  };
  return io;
}
