// Questions on a terminal, through @clack/prompts (echo, one prompt per line, validation as the answer is
// given). Loaded on demand so commands that never ask pay nothing. Ctrl-C / Escape cancels: a CliError
// saying what was (not) done, exit 1.
import { CliError } from "./errors.js";

/** A problem with an answer (shown under the prompt, which asks again), or undefined when it is fine. */
export type Validate = (value: string) => string | undefined | Promise<string | undefined>;

export interface Prompter {
  text(q: {
    message: string;
    defaultValue?: string;
    placeholder?: string;
    validate?: Validate;
  }): Promise<string>;
  password(q: { message: string; validate?: Validate }): Promise<string>;
  select<T extends string>(q: {
    message: string;
    options: ReadonlyArray<{ value: T; label: string; hint?: string }>;
    initialValue?: T;
  }): Promise<T>;
  confirm(q: { message: string; initialValue?: boolean }): Promise<boolean>;
  intro(title: string): void;
  outro(message: string): void;
}

/** `cancelled`: what to tell the operator when they cancel (e.g. "init cancelled: nothing was written"). */
export async function createPrompter(cancelled: string): Promise<Prompter> {
  const clack = await import("@clack/prompts");
  const answer = <T>(v: T | symbol): T => {
    if (clack.isCancel(v)) {
      clack.cancel(cancelled);
      throw new CliError(cancelled);
    }
    return v as T;
  };
  // clack hands the validator `undefined` for an empty line
  const wrap = (validate: Validate | undefined) =>
    validate ? (v: string | undefined) => validate(v ?? "") : undefined;
  return {
    async text(q) {
      return answer(
        await clack.text({
          message: q.message,
          ...(q.defaultValue !== undefined && q.defaultValue !== ""
            ? { defaultValue: q.defaultValue, placeholder: q.placeholder ?? q.defaultValue }
            : q.placeholder !== undefined
              ? { placeholder: q.placeholder }
              : {}),
          ...(q.validate ? { validate: wrap(q.validate) as never } : {}),
        }),
      ) as string;
    },
    async password(q) {
      return answer(
        await clack.password({
          message: q.message,
          ...(q.validate ? { validate: wrap(q.validate) as never } : {}),
        }),
      ) as string;
    },
    async select(q) {
      return answer(
        await clack.select({
          message: q.message,
          options: q.options.map((o) => ({
            value: o.value,
            label: o.label,
            ...(o.hint ? { hint: o.hint } : {}),
          })) as never,
          ...(q.initialValue !== undefined ? { initialValue: q.initialValue } : {}),
        }),
      ) as never;
    },
    async confirm(q) {
      return answer<boolean>(
        await clack.confirm({ message: q.message, initialValue: q.initialValue ?? false }),
      );
    },
    intro: (title) => clack.intro(title),
    outro: (message) => clack.outro(message),
  };
}
