package io.starling.propeller.cache;

import com.google.protobuf.CodedOutputStream;
import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.LiteralMap;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task output caching, as Flyte's catalog does it: an attempt of a task with
 * {@code metadata.cache.enabled} first looks for outputs stored under (project, domain, task
 * name, cache version, hash of interface and inputs). A hit reports them without running the
 * task; a miss runs it and stores its outputs before reporting them.
 *
 * <p>Entries are written outside the execution's fenced transaction on purpose: an entry is a
 * fact about the task (these inputs give these outputs), true whichever replica or round
 * produced it, so a second writer of the same key changes nothing.
 */
public final class TaskCache {

  private static final Logger LOG = LoggerFactory.getLogger(TaskCache.class);

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

  public TaskCache(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Whether attempts of this task go through the cache. */
  public static boolean caches(TaskAttempt attempt) {
    return attempt.task().getMetadata().getCache().getEnabled();
  }

  /**
   * Reports cached outputs for {@code attempt}, or runs it ({@code runTask} starts the plugin
   * with the callback it is given) and caches what it outputs.
   */
  public void run(TaskAttempt attempt, Consumer<Consumer<TaskResult>> runTask,
      Consumer<TaskResult> done) {
    List<Object> key = key(attempt);
    pool.preparedQuery(LOOKUP).execute(Tuple.tuple(key)).onComplete(found -> {
      if (found.succeeded() && found.result().size() > 0) {
        LiteralMap outputs = parse(found.result().iterator().next().getBuffer(0));
        if (outputs != null) {
          done.accept(new TaskResult.Succeeded(outputs, CacheStatus.CACHE_HIT));
          return;
        }
      } else if (found.failed()) {
        LOG.atWarn().addKeyValue("execution", attempt.executionName())
            .addKeyValue("attempt", attempt.key())
            .log("cache lookup failed, running the task: {}", found.cause().toString());
      }
      runTask.accept(result -> store(attempt, key, result, done));
    });
  }

  private void store(TaskAttempt attempt, List<Object> key, TaskResult result,
      Consumer<TaskResult> done) {
    if (!(result instanceof TaskResult.Succeeded success)) {
      done.accept(result);
      return;
    }
    Tuple row = Tuple.tuple(new ArrayList<>(key))
        .addValue(Buffer.buffer(success.outputs().toByteArray()))
        .addValue(attempt.executionId())
        .addValue(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
    pool.preparedQuery(STORE).execute(row).onComplete(stored -> {
      if (stored.failed()) {
        LOG.atWarn().addKeyValue("execution", attempt.executionName())
            .addKeyValue("attempt", attempt.key())
            .log("storing outputs in the cache failed: {}", stored.cause().toString());
      }
      done.accept(new TaskResult.Succeeded(success.outputs(),
          stored.succeeded() ? CacheStatus.CACHE_POPULATED : CacheStatus.CACHE_MISS));
    });
  }

  private static List<Object> key(TaskAttempt attempt) {
    return List.of(attempt.taskId().getProject(), attempt.taskId().getDomain(),
        attempt.taskId().getName(), attempt.task().getMetadata().getCache().getVersion(),
        Buffer.buffer(inputsHash(attempt)));
  }

  /** SHA-256 of the task's interface and the inputs, both serialized deterministically. */
  static byte[] inputsHash(TaskAttempt attempt) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      attempt.task().getInterface().writeTo(out);
      attempt.inputs().writeTo(out);
      out.flush();
      return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static LiteralMap parse(Buffer bytes) {
    try {
      return LiteralMap.parseFrom(bytes.getBytes());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return null; // a corrupt entry is a miss, and the outputs of the run replace it
    }
  }
}
