import type { LocationPolicy } from "../core/config.js";

export type KeywordKind = "stop" | "start" | "help" | "none";

/** Normalises a reply for keyword matching: trimmed, upper case, surrounding punctuation removed. */
export function normaliseKeyword(body: string | null): string {
  return (body ?? "")
    .normalize("NFKC")
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "")
    .toUpperCase();
}

/** A reply is a keyword only when the whole message is one (so "please don't stop" is a reply). */
export function classifyKeyword(body: string | null, keywords: LocationPolicy["keywords"]): KeywordKind {
  const word = normaliseKeyword(body);
  if (word === "") return "none";
  if (keywords.stop.includes(word)) return "stop";
  if (keywords.start.includes(word)) return "start";
  if (keywords.help.includes(word)) return "help";
  return "none";
}
