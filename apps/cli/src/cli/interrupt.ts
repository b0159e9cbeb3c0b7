// Ctrl-C (SIGINT) and SIGTERM while a command holds something another process waits for (a reconcile run's
// lock): the command registers a clean-up that gives it back, and the signal runs every registered clean-up
// before the process exits (130 for SIGINT, 143 for SIGTERM, as shells report a signal). The handlers are
// installed only while at least one clean-up is registered, so the other commands keep Node's default
// (and `sandbox` its own). A second signal exits at once.

type Cleanup = () => Promise<void>;

export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;
/** How long the clean-ups may take before the process exits anyway. */
export const CLEANUP_TIMEOUT_MS = 5_000;

const cleanups = new Set<Cleanup>();
let interrupted = false;

function exitCodeOf(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) process.exit(exitCodeOf(signal));
  interrupted = true;
  process.stderr.write(`\ninterrupted (${signal}): releasing what this command holds...\n`);
  const all = Promise.allSettled([...cleanups].map((fn) => fn()));
  const timeout = new Promise((resolve) => setTimeout(resolve, CLEANUP_TIMEOUT_MS).unref());
  void Promise.race([all, timeout]).then(() => process.exit(exitCodeOf(signal)));
}

/** Runs `fn` if the process is interrupted before the returned function is called. */
export function onInterrupt(fn: Cleanup): () => void {
  if (cleanups.size === 0) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  cleanups.add(fn);
  return () => {
    if (!cleanups.delete(fn) || cleanups.size > 0) return;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
