// How wide text is on a terminal (colour codes take no room) and how wide the terminal is.

// CSI sequences (colours, cursor moves) and OSC sequences (links)
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Columns the text takes: code points without escape sequences (wide CJK/emoji are rare in our data). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/** The text cut to `width` columns with an ellipsis (colour is dropped from a cut cell). */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return "";
  const chars = [...stripAnsi(text)];
  return `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/**
 * The width to fit output to: COLUMNS when set (the shell's, or the operator's choice), else the terminal's
 * (process.stdout.columns), else no limit (piped output keeps every character for grep and scripts).
 */
export function terminalWidth(
  env: Readonly<Record<string, string | undefined>> = process.env,
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
): number {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stdout.isTTY && typeof stdout.columns === "number" && stdout.columns > 0) return stdout.columns;
  return Number.POSITIVE_INFINITY;
}
