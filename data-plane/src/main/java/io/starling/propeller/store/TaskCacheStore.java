package io.starling.propeller.store;

import io.starling.proto.core.LiteralMap;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The {@code task_cache} table: outputs by {@link CacheKey}. */
final class TaskCacheStore {

  private static final String LOOKUP = """
      SELECT outputs FROM task_cache
       WHERE project = $1 AND domain = $2 AND task_name = $3 AND cache_version = $4
         AND inputs_hash = $5""";
  private static final String STORE = """
      INSERT INTO task_cache (project, domain, task_name, cache_version, inputs_hash, outputs,
                              execution_id, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (project, domain, task_name, cache_version, inputs_hash) DO UPDATE SET
          outputs = excluded.outputs, execution_id = excluded.execution_id,
          created_at = excluded.created_at""";

  private final Pool pool;
  private final Clock clock;

  TaskCacheStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** The stored outputs, or null when there are none (or they cannot be read: a miss). */
  Future<LiteralMap> lookup(CacheKey key) {
    return pool.preparedQuery(LOOKUP).execute(key(key)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      try {
        return LiteralMap.parseFrom(rows.iterator().next().getBuffer(0).getBytes());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        return null; // a corrupt entry is a miss, and the outputs of the run replace it
      }
    });
  }

  Future<Void> store(CacheKey key, LiteralMap outputs, long executionId) {
    Tuple row = key(key)
        .addValue(Buffer.buffer(outputs.toByteArray()))
        .addValue(executionId)
        .addValue(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
    return pool.preparedQuery(STORE).execute(row).mapEmpty();
  }

  private static Tuple key(CacheKey key) {
    return Tuple.of(key.project(), key.domain(), key.taskName(), key.cacheVersion(),
        Buffer.buffer(key.inputsHash()));
  }
}
