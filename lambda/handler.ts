/** Placeholder entry point until the dispatcher core lands; replaced by the core work. */
export async function handler(_event: unknown): Promise<never> {
  throw new Error("workflow-dispatch handler is not built yet");
}
