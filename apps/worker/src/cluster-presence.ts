// Which workers share this database: every worker writes a heartbeat row (`settings` key
// `cluster.workers/<workerId>`, its budget mode and time) every `intervalMs`, and reads the others'. When
// another worker is alive and this one counts GHL requests on its own (GHL_RATE_BUDGET=local), the
// workers together can exceed GHL's 100 requests / 10 s per location: it says so loudly, once per peer
// set, naming the setting to change. On stop the worker removes its row.
import type { Store } from "@ghl-bulksms/store";
import type { Logger } from "./logger.js";

const PREFIX = "cluster.workers/";

export interface WorkerPresence {
  readonly workerId: string;
  readonly ghlRateBudget: "local" | "shared";
  readonly heartbeatAt: number;
}

export interface ClusterPresenceOptions {
  readonly store: Pick<Store, "settings">;
  readonly workerId: string;
  readonly ghlRateBudget: "local" | "shared";
  readonly now: () => number;
  readonly logger: Pick<Logger, "warn" | "info">;
  /** Heartbeat period; a worker is alive while its last heartbeat is under 3 periods old. Default 20 s. */
  readonly intervalMs?: number;
}

export interface ClusterPresence {
  /** Writes the first heartbeat, reads the peers, and arms the timer. */
  start(): Promise<void>;
  /** One heartbeat now; resolves with the other live workers. */
  beat(): Promise<WorkerPresence[]>;
  /** Disarms the timer and removes this worker's row. */
  stop(): Promise<void>;
}

export function createClusterPresence(options: ClusterPresenceOptions): ClusterPresence {
  const intervalMs = options.intervalMs ?? 20_000;
  const key = `${PREFIX}${options.workerId}`;
  let timer: NodeJS.Timeout | null = null;
  let warnedFor = "";

  async function beat(): Promise<WorkerPresence[]> {
    const t = options.now();
    const me: WorkerPresence = {
      workerId: options.workerId,
      ghlRateBudget: options.ghlRateBudget,
      heartbeatAt: t,
    };
    await options.store.settings.set(key, me);
    const peers = (await options.store.settings.list(PREFIX))
      .map((row) => row.value as WorkerPresence)
      .filter((p) => p.workerId !== options.workerId && t - p.heartbeatAt < 3 * intervalMs);
    const local = peers.filter((p) => p.ghlRateBudget === "local");
    const ids = peers
      .map((p) => p.workerId)
      .sort()
      .join(",");
    if (peers.length > 0 && (options.ghlRateBudget === "local" || local.length > 0) && ids !== warnedFor) {
      warnedFor = ids;
      options.logger.warn(
        { peers: peers.map((p) => ({ workerId: p.workerId, ghlRateBudget: p.ghlRateBudget })) },
        "several workers share this database but not all draw on the shared GHL budget: set GHL_RATE_BUDGET=shared on every worker, or together they can exceed GHL's rate limit (429s)",
      );
    } else if (peers.length > 0 && ids !== warnedFor) {
      warnedFor = ids;
      options.logger.info({ peers: peers.map((p) => p.workerId) }, "workers sharing this database");
    }
    return peers;
  }

  return {
    async start() {
      await beat();
      const arm = (): void => {
        timer = setTimeout(() => {
          beat()
            .catch((err: unknown) => options.logger.warn({ err }, "cluster heartbeat failed"))
            .finally(() => {
              if (timer !== null) arm();
            });
        }, intervalMs);
        timer.unref();
      };
      arm();
    },
    beat,
    async stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await options.store.settings.delete(key);
    },
  };
}
