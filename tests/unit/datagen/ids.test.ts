import { describe, expect, it } from 'vitest';
import { BASE, stream } from './helpers.js';

describe('ids', () => {
  // Per-session streams seeded with 32 bits collided about once per 300k events (birthday bound
  // over ~60k sessions); ids must stay unique at the volumes the pipeline runs.
  it('event_id, session_id and anonymous_id never repeat across 600k events', async () => {
    const events = new Set<string>();
    const sessions = new Map<string, string>();
    const anonymous = new Map<string, string>();
    let valid = 0;
    const stats = await stream({ ...BASE, duplicateRate: 0, malformedRate: 0, mode: 'bulk', start: '2025-06-01', end: '2025-08-31', events: 600_000 }, (line) => {
      const e = JSON.parse(line) as { event_id: string; session_id: string; user_id: string; anonymous_id: string };
      valid++;
      events.add(e.event_id);
      expect(sessions.get(e.session_id) ?? e.user_id).toBe(e.user_id);
      sessions.set(e.session_id, e.user_id);
      expect(anonymous.get(e.anonymous_id) ?? e.user_id).toBe(e.user_id);
      anonymous.set(e.anonymous_id, e.user_id);
    });
    expect(valid).toBe(stats.events);
    expect(events.size).toBe(stats.events);
  });
});
