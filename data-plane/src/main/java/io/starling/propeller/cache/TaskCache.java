package io.starling.propeller.cache;

import com.google.protobuf.CodedOutputStream;
import io.starling.proto.core.CacheStatus;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import io.starling.propeller.store.CacheKey;
import io.starling.propeller.store.PropellerStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  private final PropellerStore store;

  public TaskCache(PropellerStore store) {
    this.store = store;
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
    CacheKey key = key(attempt);
    store.cachedOutputs(key).onComplete(found -> {
      if (found.succeeded() && found.result() != null) {
        done.accept(new TaskResult.Succeeded(found.result(), CacheStatus.CACHE_HIT));
        return;
      }
      if (found.failed()) {
        LOG.atWarn().addKeyValue("execution", attempt.executionName())
            .addKeyValue("attempt", attempt.key())
            .log("cache lookup failed, running the task: {}", found.cause().toString());
      }
      runTask.accept(result -> store(attempt, key, result, done));
    });
  }

  private void store(TaskAttempt attempt, CacheKey key, TaskResult result,
      Consumer<TaskResult> done) {
    if (!(result instanceof TaskResult.Succeeded success)) {
      done.accept(result);
      return;
    }
    store.cacheOutputs(key, success.outputs(), attempt.executionId()).onComplete(stored -> {
      if (stored.failed()) {
        LOG.atWarn().addKeyValue("execution", attempt.executionName())
            .addKeyValue("attempt", attempt.key())
            .log("storing outputs in the cache failed: {}", stored.cause().toString());
      }
      done.accept(new TaskResult.Succeeded(success.outputs(),
          stored.succeeded() ? CacheStatus.CACHE_POPULATED : CacheStatus.CACHE_MISS));
    });
  }

  private static CacheKey key(TaskAttempt attempt) {
    return new CacheKey(attempt.taskId().getProject(), attempt.taskId().getDomain(),
        attempt.taskId().getName(), attempt.task().getMetadata().getCache().getVersion(),
        inputsHash(attempt));
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
}
