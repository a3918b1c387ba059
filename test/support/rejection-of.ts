/**
 * What `promise` rejects with, for assertions on a failure's fields. With `type`, a rejection of any
 * other kind is rethrown, so the test fails on it; a promise that resolves fails the test too.
 */
export async function rejectionOf<T = unknown>(
  promise: Promise<unknown>,
  type?: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (type === undefined || error instanceof type) return error as T;
    throw error;
  }
  throw new Error(`expected a rejection${type ? ` with ${type.name}` : ""}, but it resolved`);
}
