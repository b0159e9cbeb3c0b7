// When a recipient's text is due: the scheduled local time in the recipient's own zone (a 10:00 campaign
// reaches London at 10:00 London time and Johannesburg at 10:00 Johannesburg time), never in the past.
import { zonedTimeToUtc } from "../gate/quiet-hours.js";
import type { CampaignSchedule } from "./campaign-spec.js";

export function recipientSendAt(schedule: CampaignSchedule, timeZone: string, now: number): number {
  switch (schedule.kind) {
    case "now":
      return now;
    case "at":
      return Math.max(schedule.at, now);
    case "local": {
      const [year, month, day] = schedule.date.split("-").map(Number) as [number, number, number];
      const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
      return Math.max(zonedTimeToUtc({ year, month, day, hour, minute }, timeZone), now);
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}

/** The first instant any recipient may be due: the local time where it comes first (UTC+14). */
export function firstSendAt(schedule: CampaignSchedule, now: number): number {
  switch (schedule.kind) {
    case "now":
      return now;
    case "at":
      return Math.max(schedule.at, now);
    case "local":
      return Math.max(recipientSendAt(schedule, "Pacific/Kiritimati", now), now);
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}
