package io.starling.admin.api;

import io.starling.auth.Principal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most executions each API key creates per second ({@code admin.max-executions-per-second},
 * 0 for no limit), as a token bucket per key that holds ten seconds of the rate, so a burst of
 * launches passes and a runaway loop is refused with RESOURCE_EXHAUSTED. An open server's
 * callers have no key and no limit. Per replica: behind a load balancer over N replicas a key gets up
 * to N times the rate.
 */
public final class CreationRate {

  private static final int BURST_SECONDS = 10;

  private final Clock clock;
  private final double perSecond;
  private final double capacity;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    private double tokens;
    private long atMillis;

    Bucket(double tokens, long atMillis) {
      this.tokens = tokens;
      this.atMillis = atMillis;
    }
  }

  public CreationRate(Clock clock, int perSecond) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.capacity = (double) perSecond * BURST_SECONDS;
  }

  /** Takes one creation for {@code who}, or refuses naming the limit and its key. */
  void take(Principal who) {
    if (perSecond <= 0 || who.keyId().isEmpty()) {
      return;
    }
    long now = clock.millis();
    Bucket bucket = buckets.computeIfAbsent(who.keyId(), key -> new Bucket(capacity, now));
    synchronized (bucket) {
      if (now > bucket.atMillis) {
        bucket.tokens = Math.min(capacity,
            bucket.tokens + (now - bucket.atMillis) / 1000.0 * perSecond);
        bucket.atMillis = now;
      }
      if (bucket.tokens < 1) {
        throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, who.describe() + " creates"
            + " executions faster than " + (long) perSecond + " per second"
            + " (admin.max-executions-per-second); retry later");
      }
      bucket.tokens -= 1;
    }
  }
}
