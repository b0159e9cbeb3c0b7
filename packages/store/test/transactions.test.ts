import { describe, expect, it } from "vitest";
import { describeEachStore } from "./support/stores.js";

const PHONE = "+27820000001";

describeEachStore((open, storeName) => {
  describe("transactions", () => {
    it("commits a state change and the job it causes together", async () => {
      const store = await open();
      await store.locations.upsert({ id: "L1" });
      const id = await store.transaction(async (tx) => {
        await tx.optOuts.set({ locationId: "L1", phoneE164: PHONE, state: "opted_out", source: "sms_stop" });
        const job = await tx.jobs.enqueue({ name: "ghl.set-dnd", payload: { phone: PHONE }, key: "stop:1" });
        return job.enqueued ? job.id : -1;
      });
      expect(await store.optOuts.isOptedOut("L1", PHONE)).toBe(true);
      expect((await store.jobs.get(id))?.name).toBe("ghl.set-dnd");
      await store.close();
    });

    it("a throw rolls back both the state change and the job", async () => {
      const store = await open();
      await store.locations.upsert({ id: "L1" });
      await expect(
        store.transaction(async (tx) => {
          await tx.optOuts.set({
            locationId: "L1",
            phoneE164: PHONE,
            state: "opted_out",
            source: "sms_stop",
          });
          await tx.jobs.enqueue({ name: "ghl.set-dnd", payload: {}, key: "stop:1" });
          await tx.inbox.insert({ source: "bulksms", eventId: "e1", payload: "{}" });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store.optOuts.isOptedOut("L1", PHONE)).toBe(false);
      expect(await store.optOuts.history("L1", PHONE)).toEqual([]);
      expect(await store.jobs.getByKey("stop:1")).toBeNull();
      expect((await store.inbox.insert({ source: "bulksms", eventId: "e1", payload: "{}" })).inserted).toBe(
        true,
      );
      await store.close();
    });

    it("nested transactions roll back only their own part", async () => {
      const store = await open();
      await store.transaction(async (tx) => {
        await tx.settings.set("outer", 1);
        await expect(
          tx.transaction(async (inner) => {
            await inner.settings.set("inner", 2);
            throw new Error("inner fails");
          }),
        ).rejects.toThrow("inner fails");
        await tx.transaction(async (inner) => inner.settings.set("inner2", 3));
      });
      expect(await store.settings.get("outer")).toBe(1);
      expect(await store.settings.get("inner")).toBeNull();
      expect(await store.settings.get("inner2")).toBe(3);
      await store.close();
    });

    // One SQLite connection serialises everything: other operations queue behind an open transaction (FIFO).
    // PostgreSQL runs them on other pool connections at once instead; its isolation is checked below.
    it.runIf(storeName !== "postgres")(
      "other operations wait until the open transaction finishes, so they never land inside it",
      async () => {
        const store = await open();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const order: string[] = [];
        const txDone = store
          .transaction(async (tx) => {
            await tx.settings.set("a", "tx");
            await gate;
            order.push("tx-end");
            throw new Error("rollback");
          })
          .catch(() => order.push("tx-rolled-back"));
        // Issued while the transaction awaits; must not be rolled back with it.
        const outside = store.settings.set("b", "outside");
        // Queued after `outside`, so it runs after it (FIFO) and sees its write.
        const secondTx = store.transaction(async (tx) => {
          order.push(`tx2 sees b=${await tx.settings.get("b")}`);
          await tx.settings.set("c", "tx2");
        });
        await new Promise((r) => setTimeout(r, 20));
        expect(order).toEqual([]);
        release();
        await Promise.all([txDone, outside, secondTx]);
        expect(order).toEqual(["tx-end", "tx-rolled-back", "tx2 sees b=outside"]);
        expect(await store.settings.get("a")).toBeNull();
        expect(await store.settings.get("b")).toBe("outside");
        expect(await store.settings.get("c")).toBe("tx2");
        await store.close();
      },
    );

    it("using `store` inside a callback, or `tx` after it, fails clearly instead of deadlocking", async () => {
      const store = await open();
      await expect(store.transaction(async () => store.settings.get("x"))).rejects.toThrow(
        /use the `tx` argument/,
      );
      await expect(store.transaction(async () => store.transaction(async () => 1))).rejects.toThrow(
        /use tx.transaction\(\) to nest/,
      );
      let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.settings.get("x")).rejects.toThrow(/used after its transaction finished/);
      // The store still works after all of that.
      await store.settings.set("x", 1);
      expect(await store.settings.get("x")).toBe(1);
      await store.close();
    });

    it("a finished handle (or a repository taken from it) fails even while another transaction is open", async () => {
      const store = await open();
      let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined;
      let leakedJobs: typeof store.jobs | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
        leakedJobs = tx.jobs;
        await tx.settings.set("first", 1);
      });
      const seen = await store.transaction(async (tx) => {
        await expect(leaked!.settings.set("stale", 1)).rejects.toThrow(/used after its transaction finished/);
        await expect(leakedJobs!.enqueue({ name: "n", payload: {}, key: "stale" })).rejects.toThrow(
          /used after its transaction finished/,
        );
        await expect(leaked!.transaction(async () => 1)).rejects.toThrow(/used after it finished/);
        // every repository of a live handle works, including ones that depend on another (tokens -> locks)
        expect(await tx.tokens.load("nobody")).toBeNull();
        expect(await tx.locks.tryAcquire("l", "me", 1000)).toBe(true);
        expect(await tx.tokens.withLock("o", async () => "locked")).toBe("locked");
        expect(tx.inbox).toBe(tx.inbox);
        // a detached nested transaction still works
        const nest = tx.transaction;
        expect(await nest(async (inner) => inner.settings.get("first"))).toBe(1);
        return tx.settings.get("first");
      });
      expect(seen).toBe(1);
      expect(await store.settings.get("stale")).toBeNull();
      expect(await store.jobs.getByKey("stale")).toBeNull();
      await store.close();
    });

    it("rejects operations after close", async () => {
      const store = await open();
      await store.close();
      await expect(store.settings.get("x")).rejects.toThrow(/store is closed/);
      expect(await store.ping()).toBe(false);
    });

    it("writes outside an open transaction never land inside it, and its writes are invisible until commit", async () => {
      const store = await open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let wrote!: () => void;
      const written = new Promise<void>((resolve) => {
        wrote = resolve;
      });
      const txDone = store
        .transaction(async (tx) => {
          await tx.settings.set("a", "tx");
          wrote();
          await gate;
          throw new Error("rollback");
        })
        .catch((e: Error) => e.message);
      await written;
      const outside = store.settings.set("b", "outside");
      if (storeName === "postgres") {
        await outside;
        // another connection: the uncommitted write is not visible
        expect(await store.settings.get("a")).toBeNull();
      }
      release();
      expect(await txDone).toBe("rollback");
      await outside;
      expect(await store.settings.get("a")).toBeNull();
      expect(await store.settings.get("b")).toBe("outside");
    });
  });
});
