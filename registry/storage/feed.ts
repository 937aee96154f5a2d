// The per-chain change feed. Events are appended at the end of their transaction under the feed
// lock, so on PostgreSQL a sequence value is issued only when every lower one has committed or
// rolled back (SQLite has one writer anyway): a reader's cursor never skips a late commit.
import type { FeedEvent, FeedEventData } from '../../sync/wire/registry-api.js';
import { all, atCommit, insertRows, lock, LockSpace, type Work } from './sql.js';

export interface NewChangeEvent {
  chainId: string;
  /** Ties the event to its consumer inside the registry (erasing a profile must reach it); never sent. */
  profileId: string;
  subjectRefs: string[];
  data: FeedEventData;
}

export interface TimedChangeEvent extends NewChangeEvent {
  /** The registry's receive time of the request that caused it. */
  recordedAt: string;
}

export function* appendChangeEvents(events: readonly TimedChangeEvent[]): Work<void> {
  if (events.length === 0) return;
  yield* atCommit(function* () {
    yield* lock(LockSpace.Feed, 'change_events');
    yield* insertRows(
      'INSERT INTO change_events (chain_id, profile_id, kind, subject_refs_json, recorded_at, data_json)',
      6,
      events.map((e) => [e.chainId, e.profileId, e.data.kind, JSON.stringify(e.subjectRefs), e.recordedAt, JSON.stringify(e.data)]),
    );
  });
}

export function* chainFeed(chainId: string, after: number, limit: number): Work<{ events: FeedEvent[]; hasMore: boolean }> {
  const rows = yield* all<{ seq: number | string; subject_refs_json: string; recorded_at: string; data_json: string }>(
    `SELECT seq, subject_refs_json, recorded_at, data_json FROM change_events
     WHERE chain_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    chainId,
    after,
    limit + 1,
  );
  return {
    hasMore: rows.length > limit,
    events: rows.slice(0, limit).map((r) => ({
      sequence: String(r.seq),
      subjectRefs: JSON.parse(r.subject_refs_json) as string[],
      recordedAt: r.recorded_at,
      data: JSON.parse(r.data_json) as FeedEventData,
    })),
  };
}
