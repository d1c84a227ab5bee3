/**
 * Kafka's default partitioner for keyed messages: murmur2 of the key bytes, made
 * non-negative, modulo the partition count. Staged files are split the way a producer
 * keyed by user_id would split them, so one user's events always share a partition.
 */

/** Kafka's (Java client's) murmur2 of a byte string, as a signed 32-bit integer. */
function murmur2(bytes: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = bytes.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail >= 3) h ^= bytes[whole + 2] << 16;
  if (tail >= 2) h ^= bytes[whole + 1] << 8;
  if (tail >= 1) h = Math.imul(h ^ bytes[whole], m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner assigns to a string key. */
export function kafkaPartition(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}
