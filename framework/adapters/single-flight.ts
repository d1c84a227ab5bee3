/**
 * Concurrent calls with one key share one run of their work; a call after it settled runs it
 * again. For idempotent DDL (`create … if not exists`): DuckDB refuses two connections creating
 * one catalog entry at once ("Catalog write-write conflict"), even when both say IF NOT EXISTS.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<void>>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    let flight = this.running.get(key);
    if (!flight) {
      flight = work().finally(() => this.running.delete(key));
      this.running.set(key, flight);
    }
    return flight;
  }
}
