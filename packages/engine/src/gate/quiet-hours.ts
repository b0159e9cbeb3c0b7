// Quiet hours in the recipient's local time, with Intl (correct across DST changes).

export interface QuietWindow {
  /** Allowed sending window, local "HH:MM". start > end means the window spans midnight. */
  start: string;
  end: string;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** UTC offset of the zone at instant `at`, in ms (local wall clock minus UTC). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant a local wall-clock time happens (the first instant at or after it, inside a DST gap). */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return t;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/** Inside the allowed window at `at`? */
export function isWithinWindow(at: number, timeZone: string, window: QuietWindow): boolean {
  const p = localParts(at, timeZone);
  const m = p.hour * 60 + p.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** null when sending is allowed at `at`, else the next instant the window opens. */
export function nextAllowedTime(at: number, timeZone: string, window: QuietWindow): number | null {
  if (isWithinWindow(at, timeZone, window)) return null;
  const p = localParts(at, timeZone);
  const m = p.hour * 60 + p.minute;
  const start = minutesOf(window.start);
  // Outside the window: it opens today at `start` if that is still ahead, else tomorrow.
  let day = { year: p.year, month: p.month, day: p.day };
  if (m >= start) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
    day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  const t = zonedTimeToUtc({ ...day, hour: Math.floor(start / 60), minute: start % 60 }, timeZone);
  return t > at ? t : at + 60_000;
}
