// `ghl-bulksms ... | head`: when the reader of stdout (or stderr) goes away, writes fail with EPIPE. Node
// reports that as an 'error' event, and without a listener the process dies with a stack trace. Instead the
// stream is marked closed, later writes to it are dropped, and the command finishes what it was doing (a
// broken pipe never cuts a store or vendor write short) and exits with its own exit code, silently.

export interface PipeState {
  /** true once the reader of stdout went away */
  readonly stdoutClosed: boolean;
  readonly stderrClosed: boolean;
}

const BROKEN = new Set(["EPIPE", "ERR_STREAM_DESTROYED"]);

export function isBrokenPipe(error: unknown): boolean {
  return BROKEN.has((error as NodeJS.ErrnoException | null)?.code ?? "");
}

/** Installs the listeners on process.stdout and process.stderr; returns the live state. */
export function quietOnBrokenPipe(
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): PipeState {
  const state = { stdoutClosed: false, stderrClosed: false };
  const listen = (stream: NodeJS.WriteStream, key: keyof typeof state) => {
    stream.on("error", (error: unknown) => {
      if (!isBrokenPipe(error)) throw error;
      state[key] = true;
    });
  };
  listen(streams.stdout, "stdoutClosed");
  listen(streams.stderr, "stderrClosed");
  return state;
}
