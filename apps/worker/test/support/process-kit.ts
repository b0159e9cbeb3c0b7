// Small helpers shared by the tests that run workers as processes (crash, crash-cluster,
// cluster-processes): ports, a seeded random script, and a time zone in which no quiet hours apply.
import { createServer } from "node:net";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const digits = (s: string) => s.replace(/\D/g, "");

/** A seeded generator, so the event script is the same every run (kill moments still vary with timing). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** An Etc/GMT zone in which it is about 13:00 now, so quiet hours (08:00-21:00) never defer a send. */
export function afternoonZone(nowMs: number): string {
  let n = new Date(nowMs).getUTCHours() - 13; // Etc/GMT+N is UTC-N
  if (n > 12) n -= 24;
  if (n < -14) n += 24;
  return n === 0 ? "Etc/GMT" : `Etc/GMT${n > 0 ? "+" : "-"}${Math.abs(n)}`;
}

/** A loopback port that was free a moment ago (for a worker process to listen on). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (addr === null || typeof addr === "string") throw new Error("no port");
  return addr.port;
}
