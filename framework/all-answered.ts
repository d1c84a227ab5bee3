/**
 * Independent reads asked at once (on Trino each is a round trip on the node's path): every one is
 * awaited, then the first failure in the given order is thrown, so an earlier read's error (e.g. a
 * missing column, said plainly) wins over what it caused in a later one.
 */
export async function allAnswered<T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
