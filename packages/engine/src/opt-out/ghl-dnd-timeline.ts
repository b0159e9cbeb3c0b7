// What GHL's SMS DND of one contact was, and when: the states GHL reported (webhooks) and the ones we
// wrote (consent sync jobs), by GHL's time. Used to tell a DND *change* made in GHL (a consent event)
// from the echo of our own write and from a stale copy of a state GHL already had (a ContactUpdate
// delivered after our write, still showing the old DND), whatever order the webhooks arrive in.
import type { Repositories } from "@ghl-bulksms/store";

export interface DndPoint {
  /** GHL's time of the state (event time, or the dateUpdated GHL answered our write with). */
  at: number;
  active: boolean;
  by: "ghl" | "us";
}

/**
 * A webhook showing the value we wrote within this long of our write is its echo (GHL's webhook time and
 * the dateUpdated of our write differ by a little). A person's change to the same value within this
 * window is taken for the echo: the state is the same, only its recorded cause stays ours.
 */
export const DND_ECHO_WINDOW_MS = 2_000;
/** Points kept per contact (oldest dropped first). */
const KEEP = 20;

export function dndTimelineKey(locationId: string, contactId: string): string {
  return `engine:ghl-dnd:${locationId}:${contactId}`;
}

export type DndObservation = "change" | "same" | "echo";

async function load(
  repos: Pick<Repositories, "settings">,
  locationId: string,
  contactId: string,
): Promise<DndPoint[]> {
  return (await repos.settings.get<DndPoint[]>(dndTimelineKey(locationId, contactId))) ?? [];
}

async function save(
  repos: Pick<Repositories, "settings">,
  locationId: string,
  contactId: string,
  points: DndPoint[],
): Promise<void> {
  const sorted = [...points].sort((a, b) => a.at - b.at).slice(-KEEP);
  await repos.settings.set(dndTimelineKey(locationId, contactId), sorted);
}

/**
 * Classifies the DND state a GHL webhook reported at `at` and remembers it. "change": GHL's DND differs
 * from what it was just before `at` (a person changed it: a consent event at `at`); "same": GHL already
 * had this state then; "echo": the state we wrote ourselves. `previous` is what GHL had when the timeline
 * knows nothing before `at` (null: unknown, then only DND on counts as a change).
 */
export async function observeGhlDnd(
  repos: Pick<Repositories, "settings">,
  locationId: string,
  contactId: string,
  input: { active: boolean; at: number; previous: boolean | null },
): Promise<DndObservation> {
  const points = await load(repos, locationId, contactId);
  const echo = points.some(
    (p) => p.by === "us" && p.active === input.active && Math.abs(p.at - input.at) <= DND_ECHO_WINDOW_MS,
  );
  let before: boolean | null = input.previous;
  for (const p of points) if (p.at <= input.at) before = p.active;
  await save(repos, locationId, contactId, [...points, { at: input.at, active: input.active, by: "ghl" }]);
  if (echo) return "echo";
  if (before === null) return input.active ? "change" : "same";
  return before === input.active ? "same" : "change";
}

/** Remembers a DND state we wrote to GHL (so its echo is not taken for a person's change). */
export async function recordDndWrite(
  repos: Pick<Repositories, "settings">,
  locationId: string,
  contactId: string,
  point: { at: number; active: boolean },
): Promise<void> {
  const points = await load(repos, locationId, contactId);
  await save(repos, locationId, contactId, [...points, { ...point, by: "us" }]);
}
