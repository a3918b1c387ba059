type Write = typeof process.stdout.write;

/**
 * Runs `block` while everything written to process.stdout and process.stderr is counted and thrown
 * away: the handler still formats every log line and metric (that work is measured), but a thousand
 * JSON lines do not flood the benchmark table. Returns the block's result and the bytes discarded.
 */
export async function discardOutput<T>(
  block: () => Promise<T>,
): Promise<{ result: T; bytes: number }> {
  let bytes = 0;
  const originals: [NodeJS.WriteStream, Write][] = [
    [process.stdout, process.stdout.write],
    [process.stderr, process.stderr.write],
  ];
  const sink = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  for (const [stream] of originals) stream.write = sink;
  try {
    return { result: await block(), bytes };
  } finally {
    for (const [stream, write] of originals) stream.write = write;
  }
}
