// `withLock` over a store's lease rows (`locks`), the same for every dialect: wait for the lease, renew it
// while the holder runs, give it back. Each store supplies only its `tryAcquire` / `release` statements.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "./errors.js";
import type { LocksRepo } from "./types.js";

type LeaseStatements = Pick<LocksRepo, "tryAcquire" | "release">;

export function withLease(leases: LeaseStatements): LocksRepo["withLock"] {
  return async (name, fn, options = {}) => {
    const ttlMs = options.ttlMs ?? 60_000;
    const waitMs = options.waitMs ?? 30_000;
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    while (!(await leases.tryAcquire(name, owner, ttlMs))) {
      if (Date.now() >= deadline) {
        throw new StoreError(
          "lock_timeout",
          `could not acquire lock ${JSON.stringify(name)} within ${waitMs} ms`,
        );
      }
      await sleep(20 + Math.floor(Math.random() * 30));
    }
    // Renew the lease while `fn` runs (every third of its life): a slow holder (a token refresh that
    // takes longer than ttlMs) must not see its lease expire under it and a second holder start the same
    // work (a second refresh would spend a single-use refresh token twice).
    const renew = setInterval(
      () => {
        leases.tryAcquire(name, owner, ttlMs).catch(() => undefined);
      },
      Math.max(10, Math.floor(ttlMs / 3)),
    );
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await leases.release(name, owner);
    }
  };
}
