package io.starling.propeller.plugin.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.worker.Ack;
import io.starling.proto.worker.Acks;
import io.starling.proto.worker.Assignment;
import io.starling.proto.worker.Assignments;
import io.starling.proto.worker.AttemptSpec;
import io.starling.proto.worker.Heartbeat;
import io.starling.proto.worker.Lease;
import io.starling.proto.worker.Report;
import io.starling.proto.worker.ServerMessage;
import io.starling.proto.worker.Superseded;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers connected to this replica and what they hold: leases queued attempts of the
 * queues they serve to those with room (never more than a worker's capacity), records their
 * reports and heartbeats, and expires the leases nobody kept, telling the replica that runs each
 * attempt's execution ({@link Notices}) when an attempt ended. Attempts of any execution go to
 * any replica's workers: the queue is the table, not this process.
 *
 * <p>A session that closes leaves its leases as they are: its worker may reconnect (here or to
 * another replica) and report them while they hold, or they expire.
 */
public final class WorkerSessions {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerSessions.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Where the end of an attempt is told: the replica that runs its execution's shard. */
  public interface Notices {
    void ended(int shard, long attemptId);
  }

  /** Where a session's messages go (its stream). */
  interface Sink {
    void send(ServerMessage message);
  }

  /** One connected worker. Its fields are guarded by the {@link WorkerSessions}' lock. */
  static final class Session {
    final String id;
    final String workerId;
    final List<String> queues;
    final Sink sink;
    final Set<Long> held = new HashSet<>();
    int capacity;
    boolean claiming;
    boolean open = true;

    Session(String id, String workerId, List<String> queues, int capacity, Sink sink) {
      this.id = id;
      this.workerId = workerId;
      this.queues = queues;
      this.capacity = capacity;
      this.sink = sink;
    }

    String id() {
      return id;
    }

    int free() {
      return capacity - held.size();
    }
  }

  private record Reported(Session session, Report report) {}

  private final TimeSource time;
  private final WorkerTaskStore store;
  private final WorkerOptions options;
  private final Notices notices;
  private final Set<Session> sessions = new LinkedHashSet<>();
  private final Batcher<Reported> reports;
  private final Counter leased;
  private final Counter expired;
  private final Counter reported;
  private final Histogram waited;
  private TimeSource.Timer claimTimer;
  private TimeSource.Timer expiryTimer;
  private boolean expiring;

  public WorkerSessions(TimeSource time, WorkerTaskStore store, WorkerOptions options,
      Notices notices, PrometheusRegistry registry) {
    this.time = time;
    this.store = store;
    this.options = options;
    this.notices = notices;
    this.reports = new Batcher<>(options.maxBatch(), this::record);
    this.leased = Counter.builder().name("starling_worker_leased_total")
        .help("Attempts leased to workers connected to this replica").register(registry);
    this.expired = Counter.builder().name("starling_worker_expired_total")
        .help("Leases this replica expired: their worker sent no heartbeat for"
            + " plugins.worker.lease-timeout").register(registry);
    this.reported = Counter.builder().name("starling_worker_reports_total")
        .help("Reports of workers connected to this replica: accepted, or refused (the attempt"
            + " was no longer leased with the report's token)")
        .labelNames("outcome").register(registry);
    this.waited = Histogram.builder().name("starling_worker_queued_seconds")
        .help("Time from an attempt queued to its lease to a worker")
        .classicExponentialUpperBounds(0.001, 2, 16).register(registry);
    GaugeWithCallback.builder().name("starling_worker_sessions")
        .help("Workers connected to this replica, by queue").labelNames("queue")
        .callback(callback -> connectedByQueue().forEach((queue, count) ->
            callback.call(count, queue)))
        .register(registry);
  }

  public void start() {
    claimTimer = time.periodic(options.claimInterval(), this::dispatch);
    Duration expiry = options.leaseTimeout().dividedBy(4);
    expiryTimer = time.periodic(expiry.compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1) : expiry, this::expire);
  }

  public void stop() {
    if (claimTimer != null) {
      claimTimer.cancel();
      expiryTimer.cancel();
    }
  }

  /** Opens a session; {@code queues} are {@code project/domain/name}. */
  Session open(String workerId, List<String> queues, int capacity, Sink sink) {
    Session session = new Session(Long.toHexString(ThreadLocalRandom.current().nextLong()),
        workerId, List.copyOf(queues), capacity, sink);
    synchronized (this) {
      sessions.add(session);
    }
    LOG.atInfo().addKeyValue("worker", workerId).addKeyValue("session", session.id)
        .addKeyValue("queues", String.join(",", queues)).addKeyValue("capacity", capacity)
        .log("worker connected");
    claim(session);
    return session;
  }

  void close(Session session) {
    synchronized (this) {
      if (!sessions.remove(session)) {
        return;
      }
      session.open = false;
    }
    LOG.atInfo().addKeyValue("worker", session.workerId).addKeyValue("session", session.id)
        .log("worker disconnected");
  }

  void capacity(Session session, int capacity) {
    synchronized (this) {
      session.capacity = capacity;
    }
    claim(session);
  }

  /** Attempts were queued: offer them to the workers with room now. */
  public void wake() {
    dispatch();
  }

  private void dispatch() {
    List<Session> open;
    synchronized (this) {
      open = new ArrayList<>(sessions);
    }
    open.forEach(this::claim);
  }

  private void claim(Session session) {
    synchronized (this) {
      if (!session.open || session.claiming || session.free() <= 0) {
        return;
      }
      session.claiming = true;
    }
    claimQueue(session, 0);
  }

  /** Claims for {@code session} from its queues, from the {@code index}th on, while it has room. */
  private void claimQueue(Session session, int index) {
    int free;
    synchronized (this) {
      free = session.open ? session.free() : 0;
      if (free <= 0 || index >= session.queues.size()) {
        session.claiming = false;
        return;
      }
    }
    int limit = Math.min(free, options.maxBatch());
    long token = ThreadLocalRandom.current().nextLong();
    store.claim(session.queues.get(index), limit, token, session.workerId, options.leaseTimeout())
        .onComplete(claimed -> {
          if (claimed.failed()) {
            LOG.atDebug().log("cannot lease attempts: {}", claimed.cause().toString());
            synchronized (this) {
              session.claiming = false;
            }
            return;
          }
          handOver(session, token, claimed.result());
          claimQueue(session, claimed.result().size() == limit ? index : index + 1);
        });
  }

  private void handOver(Session session, long token, List<WorkerTaskStore.Claimed> claimed) {
    if (claimed.isEmpty()) {
      return;
    }
    Assignments.Builder batch = Assignments.newBuilder();
    List<Long> ids = new ArrayList<>(claimed.size());
    for (WorkerTaskStore.Claimed attempt : claimed) {
      waited.observe(attempt.waitedSeconds());
      try {
        batch.addAssignments(Assignment.newBuilder()
            .setLease(Lease.newBuilder().setAttemptId(attempt.id()).setToken(token))
            .setAttempt(AttemptSpec.parseFrom(attempt.spec())));
        ids.add(attempt.id());
      } catch (InvalidProtocolBufferException e) {
        // Not held, so never extended: the lease expires and the attempt runs again.
        LOG.atError().addKeyValue("attempt", attempt.id()).log("a worker_tasks row does not"
            + " parse; its lease is left to expire: {}", e.toString());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    boolean delivered;
    synchronized (this) {
      delivered = session.open;
      if (delivered) {
        session.held.addAll(ids);
      }
    }
    if (!delivered) {
      store.release(ids.toArray(new Long[0]), token).onFailure(e -> LOG.atDebug()
          .log("cannot queue again {} attempts of a closed session: {}", ids.size(), e.toString()));
      return;
    }
    leased.inc(ids.size());
    session.sink.send(ServerMessage.newBuilder().setAssignments(batch).build());
  }

  void reports(Session session, List<Report> batch) {
    List<Reported> items = new ArrayList<>(batch.size());
    for (Report report : batch) {
      items.add(new Reported(session, report));
    }
    reports.addAll(items);
  }

  private Future<?> record(List<Reported> batch) {
    Long[] ids = new Long[batch.size()];
    Long[] tokens = new Long[ids.length];
    Buffer[] results = new Buffer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Report report = batch.get(i).report();
      ids[i] = report.getLease().getAttemptId();
      tokens[i] = report.getLease().getToken();
      results[i] = Buffer.buffer(report.toByteArray());
    }
    return store.report(ids, tokens, results).onSuccess(ended -> {
      Set<Long> accepted = new HashSet<>();
      for (WorkerTaskStore.Ended attempt : ended) {
        accepted.add(attempt.id());
        notices.ended(attempt.shard(), attempt.id());
      }
      Map<Session, Acks.Builder> acks = new HashMap<>();
      synchronized (this) {
        for (Reported item : batch) {
          Lease lease = item.report().getLease();
          item.session().held.remove(lease.getAttemptId());
          acks.computeIfAbsent(item.session(), s -> Acks.newBuilder()).addAcks(Ack.newBuilder()
              .setLease(lease).setAccepted(accepted.contains(lease.getAttemptId())));
        }
      }
      reported.labelValues("accepted").inc(accepted.size());
      reported.labelValues("refused").inc(batch.size() - accepted.size());
      acks.forEach((session, ack) -> {
        if (session.open) {
          session.sink.send(ServerMessage.newBuilder().setAcks(ack).build());
        }
        claim(session);
      });
    }).onFailure(e -> {
      LOG.atWarn().log("cannot record {} worker reports, trying again in {}: {}", batch.size(),
          RETRY, e.toString());
      time.schedule(RETRY, () -> reports.addAll(batch));
    });
  }

  void heartbeat(Session session, Heartbeat heartbeat) {
    if (heartbeat.getLeasesCount() == 0) {
      return;
    }
    Long[] ids = new Long[heartbeat.getLeasesCount()];
    Long[] tokens = new Long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = heartbeat.getLeases(i).getAttemptId();
      tokens[i] = heartbeat.getLeases(i).getToken();
    }
    store.extend(ids, tokens, options.leaseTimeout()).onSuccess(held -> {
      Set<Long> kept = new HashSet<>(held);
      Superseded.Builder gone = Superseded.newBuilder();
      for (Lease lease : heartbeat.getLeasesList()) {
        if (!kept.contains(lease.getAttemptId())) {
          gone.addLeases(lease);
        }
      }
      if (gone.getLeasesCount() > 0) {
        synchronized (this) {
          gone.getLeasesList().forEach(lease -> session.held.remove(lease.getAttemptId()));
        }
        if (session.open) {
          session.sink.send(ServerMessage.newBuilder().setSuperseded(gone).build());
        }
        claim(session);
      }
    }).onFailure(e -> LOG.atDebug().log("cannot extend {} leases: {}", ids.length,
        e.toString()));
  }

  private void expire() {
    synchronized (this) {
      if (expiring) {
        return;
      }
      expiring = true;
    }
    store.expire(options.maxBatch()).onComplete(done -> {
      synchronized (this) {
        expiring = false;
      }
      if (done.failed()) {
        LOG.atDebug().log("cannot expire leases: {}", done.cause().toString());
        return;
      }
      for (WorkerTaskStore.Ended attempt : done.result()) {
        notices.ended(attempt.shard(), attempt.id());
      }
      if (!done.result().isEmpty()) {
        expired.inc(done.result().size());
        LOG.atInfo().addKeyValue("attempts", done.result().size())
            .log("worker leases expired: their attempts run again as new attempts");
      }
      if (done.result().size() == options.maxBatch()) {
        expire();
      }
    });
  }

  /** The workers connected now, in the order they connected. */
  public synchronized List<ConnectedWorker> connected() {
    List<ConnectedWorker> connected = new ArrayList<>(sessions.size());
    for (Session session : sessions) {
      connected.add(new ConnectedWorker(session.workerId, session.queues, session.capacity,
          Math.max(0, session.free())));
    }
    return connected;
  }

  private synchronized Map<String, Integer> connectedByQueue() {
    Map<String, Integer> counts = new HashMap<>();
    for (Session session : sessions) {
      session.queues.forEach(queue -> counts.merge(queue, 1, Integer::sum));
    }
    return counts;
  }
}
