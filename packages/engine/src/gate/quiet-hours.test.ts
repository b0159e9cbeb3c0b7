import { describe, expect, it } from "vitest";
import { isWithinWindow, nextAllowedTime, zonedTimeToUtc } from "./quiet-hours.js";

const W = { start: "08:00", end: "21:00" };

describe("quiet hours", () => {
  it("allows inside the local window and defers outside it to the next opening", () => {
    // 2026-07-01 12:00 in New York is 16:00 UTC (EDT, UTC-4)
    expect(nextAllowedTime(Date.UTC(2026, 6, 1, 16, 0), "America/New_York", W)).toBeNull();
    // 22:00 EDT -> 08:00 EDT next day = 12:00 UTC
    expect(nextAllowedTime(Date.UTC(2026, 6, 2, 2, 0), "America/New_York", W)).toBe(
      Date.UTC(2026, 6, 2, 12, 0),
    );
    // 06:00 EDT -> 08:00 EDT the same day
    expect(nextAllowedTime(Date.UTC(2026, 6, 1, 10, 0), "America/New_York", W)).toBe(
      Date.UTC(2026, 6, 1, 12, 0),
    );
  });

  it("is correct across the spring-forward DST change (Europe/London, 2026-03-29)", () => {
    // 22:30 GMT on the 28th; clocks go forward at 01:00 UTC on the 29th; 08:00 BST = 07:00 UTC
    expect(nextAllowedTime(Date.UTC(2026, 2, 28, 22, 30), "Europe/London", W)).toBe(
      Date.UTC(2026, 2, 29, 7, 0),
    );
  });

  it("is correct across the fall-back DST change (America/New_York, 2026-11-01)", () => {
    // 23:00 EDT on Oct 31 = 03:00 UTC Nov 1; 08:00 EST on Nov 1 = 13:00 UTC
    expect(nextAllowedTime(Date.UTC(2026, 10, 1, 3, 0), "America/New_York", W)).toBe(
      Date.UTC(2026, 10, 1, 13, 0),
    );
  });

  it("handles windows that span midnight and a window start inside a DST gap", () => {
    const night = { start: "20:00", end: "06:00" };
    expect(isWithinWindow(Date.UTC(2026, 0, 5, 23, 0), "UTC", night)).toBe(true);
    expect(isWithinWindow(Date.UTC(2026, 0, 5, 12, 0), "UTC", night)).toBe(false);
    expect(nextAllowedTime(Date.UTC(2026, 0, 5, 12, 0), "UTC", night)).toBe(Date.UTC(2026, 0, 5, 20, 0));
    // 02:30 does not exist in London on 2026-03-29: the first instant after the gap
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/London")).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    );
  });
});
