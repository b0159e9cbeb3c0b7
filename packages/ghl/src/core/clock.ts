/** Milliseconds since the epoch; injected so tests can use a fake clock. */
export type Now = () => number;
/** Waits `ms` milliseconds; injected so tests can advance a fake clock instead of sleeping. */
export type Sleep = (ms: number) => Promise<void>;

export const systemNow: Now = () => Date.now();
export const systemSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
