// Templates and texts are validated with the configuration: a bad one is refused at start-up (and by
// `config validate`), naming the variable and the placeholder, instead of warning once per contact later.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/index.js";

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
}

describe("templates in the environment", () => {
  it("accepts a welcome template with known fields and fallbacks, and plain texts", () => {
    expect(
      issues({
        WELCOME_TEMPLATE: 'Hi {{firstName | "there"}}, welcome to {{companyName}}!',
        HELP_TEXT: "Call us on 0800 000 000. Reply STOP to opt out.",
        STOP_CONFIRMATION_TEXT: "Bye. Reply START to rejoin.",
      }),
    ).toEqual([]);
  });

  it("refuses a welcome template that does not parse or names an unknown field", () => {
    const [unclosed] = issues({ WELCOME_TEMPLATE: "Hi {{firstName, welcome!" });
    expect(unclosed).toMatch(/^WELCOME_TEMPLATE is not a valid template: "\{\{" at 3 is not closed/);
    const [typo] = issues({ WELCOME_TEMPLATE: "Hi {{frstName}}!" });
    expect(typo).toContain('WELCOME_TEMPLATE is not a valid template: unknown field "frstName"');
    expect(typo).toContain('did you mean "firstName"?');
    const [bad] = issues({ WELCOME_TEMPLATE: "Hi {{first name}}" });
    expect(bad).toContain('invalid placeholder "{{first name}}"');
  });

  it("refuses a placeholder in a text that is sent as it is", () => {
    const found = issues({
      HELP_TEXT: "Hi {{firstName}}, call us",
      STOP_CONFIRMATION_TEXT: "Bye {{name}}",
      START_CONFIRMATION_TEXT: "Welcome back",
    });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^STOP_CONFIRMATION_TEXT has a placeholder "\{\{name\}\}" at 4/);
    expect(found[1]).toMatch(
      /^HELP_TEXT has a placeholder "\{\{firstName\}\}" at 3: this text is sent as it is/,
    );
  });
});
