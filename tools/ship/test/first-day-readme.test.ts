// The README's "Your first day" block is what the first-day walk (./first-day.ts, run by bundles.test.ts)
// types, line for line: this checks it without building anything, so an edit to either is caught at once.
import { describe, expect, it } from "vitest";
import { readmeFirstDayCommands, WALK } from "./first-day.js";

describe("README: Your first day", () => {
  it("lists exactly the commands the walk types, in its order", () => {
    expect(readmeFirstDayCommands()).toEqual([...WALK]);
  });

  it("a README without the block is refused with what is missing", () => {
    expect(() => readmeFirstDayCommands("# no walk here\n")).toThrow("<!-- first-day:start -->");
  });

  it("comments are not typed; commands are kept whole", () => {
    const readme = [
      "<!-- first-day:start -->",
      "```sh",
      'ghl-bulksms send --to abc --body "Hi"   # one text',
      "",
      "pnpm cli:build",
      "```",
      "<!-- first-day:end -->",
    ].join("\n");
    expect(readmeFirstDayCommands(readme)).toEqual([
      'ghl-bulksms send --to abc --body "Hi"',
      "pnpm cli:build",
    ]);
  });
});
