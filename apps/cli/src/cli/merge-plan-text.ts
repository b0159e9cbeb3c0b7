// The field-by-field part of a merge plan, for people: which value each changed or contested field keeps,
// and why (a worse spelling never wins: see @ghl-bulksms/sync planMerge).
import type { MergePlan } from "@ghl-bulksms/sync";

/**
 * One line per field where the records disagreed (more than one record had a value), e.g.
 * `  lastName: keep "Evans" from c1 (better-form: "Evans" (proper case, c1) over "EVANS" (all caps, c2) ...)`.
 */
export function mergePlanFieldLines(plan: Pick<MergePlan, "fields" | "before">): string[] {
  const lines: string[] = [];
  for (const choice of plan.fields) {
    const holders = plan.before.filter((c) => {
      const v = c.fields[choice.field];
      return v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);
    });
    if (holders.length < 2 && choice.rule !== "better-form") continue;
    const value = Array.isArray(choice.value) ? choice.value.join(", ") : JSON.stringify(choice.value);
    lines.push(
      `  ${choice.field}: keep ${value} from ${choice.from.join(", ")} (${choice.rule}: ${choice.why})`,
    );
  }
  return lines;
}
