/**
 * Flush markers: how a quiet partition's open window gets written without letting a clock
 * decide where a file ends. The consumer appends a marker record to the partition; whoever
 * reads the partition (this run, a restarted one, a fresh group) cuts the window at that same
 * offset, so the cut is part of the log and a replay writes the same objects. A marker has an
 * empty value and the header below; it is staged nowhere, and its offset is committed with
 * the window it closes.
 */
import type { IHeaders, Producer } from 'kafkajs';

export const FLUSH_MARKER_HEADER = 'framework-flush-marker';

export function isFlushMarker(headers: IHeaders | undefined): boolean {
  return headers?.[FLUSH_MARKER_HEADER] !== undefined;
}

/** Appends one marker to each partition; resolves with each marker's offset. */
export async function appendFlushMarkers(
  producer: Producer,
  topic: string,
  partitions: number[],
): Promise<Map<number, number>> {
  const sent = await producer.send({
    topic,
    acks: -1,
    messages: partitions.map((partition) => ({
      partition,
      value: Buffer.alloc(0),
      headers: { [FLUSH_MARKER_HEADER]: '1' },
    })),
  });
  return new Map(sent.map((r) => [r.partition, Number(r.baseOffset)]));
}

/**
 * The consumer's marker requests: one marker per open window, asked once per window (a window is
 * identified by its object); a failed request forgets its windows so they are asked again later.
 */
export class FlushMarkers {
  private connected: Promise<void> | undefined;
  private readonly asked = new WeakSet<object>();

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  /** Appends a marker to the partition of each window not asked for yet; resolves with the markers' offsets. */
  async ask(open: { partition: number; window: object }[]): Promise<Map<number, number>> {
    const asking = open.filter(({ window }) => !this.asked.has(window));
    if (!asking.length) return new Map();
    asking.forEach(({ window }) => this.asked.add(window));
    try {
      this.connected ??= this.producer.connect();
      await this.connected;
      return await appendFlushMarkers(
        this.producer,
        this.topic,
        asking.map(({ partition }) => partition),
      );
    } catch (error) {
      this.connected = undefined;
      asking.forEach(({ window }) => this.asked.delete(window));
      throw error;
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
