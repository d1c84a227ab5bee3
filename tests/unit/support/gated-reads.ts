/**
 * Fake engine reads that answer only once a gate opens: what was asked before it opened was asked
 * at once, not one read after another (on Trino each is a round trip on a node's path).
 */
export function gatedReads(answers: Record<string, () => unknown>) {
  const asked: string[] = [];
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const ask = <T = any>(name: string): Promise<T> => {
    asked.push(name);
    return opened.then(answers[name] ?? (() => undefined)) as Promise<T>;
  };
  /** What was asked once every read in flight waits on the gate; then the gate opens. */
  const askedAtOnce = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const before = [...asked].sort();
    open();
    return before;
  };
  return { ask, asked, askedAtOnce };
}
