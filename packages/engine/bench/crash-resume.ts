// pnpm bench:crash — the crash-safety scenario at full size (20k contacts, 5 kills).
import { runCrashScenario } from "./crash-scenario.js";

const contacts = Number(process.env.CRASH_CONTACTS ?? 20_000);
const kills = Number(process.env.CRASH_KILLS ?? 5);
const report = await runCrashScenario({ contacts, kills, log: (m) => console.log(m) });
console.log(
  JSON.stringify(
    { ...report, differences: report.differences.slice(0, 20), differenceCount: report.differences.length },
    null,
    2,
  ),
);
process.exit(report.differences.length === 0 && report.writesA === report.writesB ? 0 : 1);
