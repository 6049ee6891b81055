package io.starling.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.time.ManualTimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ShardOwnershipTest {

  private static final Duration RETRY = Duration.ofMillis(500);

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  /** Each acquire the ownership asks for, answered by the test. */
  private final List<Request> requests = new ArrayList<>();
  private final List<Integer> owned = new ArrayList<>();
  private final List<Integer> stopped = new ArrayList<>();
  private long epoch;

  private record Request(List<Integer> shards, Promise<List<ShardLease>> answer) {}

  private final List<ShardLease> released = new ArrayList<>();
  /** What the lease table says nobody holds any more. */
  private final Set<Integer> free = new TreeSet<>();

  private final LeaseStore store = new LeaseStore() {
    @Override
    public Future<List<ShardLease>> acquire(Collection<Integer> shards) {
      return ShardOwnershipTest.this.acquire(shards);
    }

    @Override
    public Future<Void> release(Collection<ShardLease> leases) {
      released.addAll(leases);
      return Future.succeededFuture();
    }

    @Override
    public Future<Set<Integer>> reclaimable(Collection<Integer> shards) {
      Set<Integer> answer = new TreeSet<>(shards);
      answer.retainAll(free);
      return Future.succeededFuture(answer);
    }
  };

  private final ShardOwnership ownership = new ShardOwnership(store, time, RETRY,
      new ShardOwnership.Listener() {
        @Override
        public void owned(List<ShardLease> leases) {
          leases.forEach(lease -> owned.add(lease.shard()));
        }

        @Override
        public void stopping(Set<Integer> shards) {
          assertThat(shards).allSatisfy(shard -> {
            assertThat(ownership.state(shard)).isEqualTo(ShardOwnership.State.STOPPING);
            assertThat(ownership.lease(shard)).isNull();
          });
          stopped.addAll(shards);
        }
      });

  private Future<List<ShardLease>> acquire(Collection<Integer> shards) {
    Promise<List<ShardLease>> answer = Promise.promise();
    requests.add(new Request(new ArrayList<>(shards), answer));
    return answer.future();
  }

  private List<ShardLease> grant(Request request) {
    List<ShardLease> leases = new ArrayList<>();
    request.shards().forEach(shard -> leases.add(new ShardLease(shard, ++epoch, "me")));
    request.answer().complete(leases);
    return leases;
  }

  @Test
  void anAssignedShardIsOwnedOnceItsEpochIsBumped() {
    Future<Void> assigned = ownership.assign(List.of(1, 2));
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.ACQUIRING);
    assertThat(ownership.lease(1)).isNull();
    assertThat(assigned.isComplete()).isFalse();

    List<ShardLease> leases = grant(requests.get(0));

    assertThat(assigned.succeeded()).isTrue();
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.OWNED);
    assertThat(ownership.lease(2)).isEqualTo(leases.get(1));
    assertThat(owned).containsExactly(1, 2);
    assertThat(new TreeSet<>(List.of(ownership.owned()))).containsExactly(1, 2);
  }

  @Test
  void itsFuturesCompleteOutsideItsLockSoCallersMayTakeTheirOwn() {
    List<Boolean> heldLock = new ArrayList<>();
    ownership.assign(List.of(1)).onComplete(done -> heldLock.add(Thread.holdsLock(ownership)));
    ownership.assign(List.of(2)).onComplete(done -> heldLock.add(Thread.holdsLock(ownership)));

    grant(requests.get(0));
    ownership.unassign(List.of(2));

    assertThat(heldLock).containsExactly(false, false);
  }

  @Test
  void aFailedAcquireIsTriedAgainAfterTheRetryDelayWhileTheShardStaysAssigned() {
    Future<Void> assigned = ownership.assign(List.of(1));
    requests.get(0).answer().fail(new IllegalStateException("database away"));
    assertThat(requests).hasSize(1);

    time.advance(RETRY);

    assertThat(requests).hasSize(2);
    grant(requests.get(1));
    assertThat(assigned.succeeded()).isTrue();
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.OWNED);
  }

  @Test
  void aLostShardStopsAndIsNotTakenBackWhileItsNewHolderHoldsIt() {
    ownership.assign(List.of(1, 2));
    ShardLease lease = grant(requests.get(0)).get(0);

    assertThat(ownership.lost(lease)).isTrue();

    assertThat(stopped).containsExactly(1);
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.STOPPED);
    assertThat(ownership.lease(1)).isNull();
    assertThat(ownership.state(2)).isEqualTo(ShardOwnership.State.OWNED);
    assertThat(released).as("a lost lease is not ours to release").isEmpty();
    // The partition table still names this replica: reconciling changes nothing.
    ownership.assign(List.of(1, 2));
    time.advance(Duration.ofMinutes(10));
    assertThat(requests).hasSize(1);
    assertThat(time.pendingCount()).isZero();
  }

  @Test
  void aLostShardIsTakenBackOnceItsHolderReleasedItOrStoppedRenewing() {
    ownership.assign(List.of(1));
    ownership.lost(grant(requests.get(0)).get(0));

    free.add(1);
    ownership.assign(List.of(1));

    assertThat(requests).hasSize(2);
    grant(requests.get(1));
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.OWNED);
  }

  @Test
  void aLostShardThatMovedAwayAndBackIsAcquiredAsAnyOther() {
    ownership.assign(List.of(1));
    ownership.lost(grant(requests.get(0)).get(0));

    ownership.unassign(List.of(1));
    ownership.assign(List.of(1));

    assertThat(requests).hasSize(2);
  }

  @Test
  void anUnassignedShardReleasesItsLease() {
    ownership.assign(List.of(1, 2));
    List<ShardLease> leases = grant(requests.get(0));

    ownership.unassign(List.of(2));

    assertThat(released).containsExactly(leases.get(1));
    assertThat(ownership.leases()).containsExactly(leases.get(0));
  }

  @Test
  void aRefusalOfAnOlderLeaseDoesNotStopTheShardAcquiredSince() {
    ownership.assign(List.of(1));
    ShardLease old = grant(requests.get(0)).get(0);
    ownership.unassign(List.of(1));
    ownership.assign(List.of(1));
    ShardLease current = grant(requests.get(1)).get(0);

    assertThat(ownership.lost(old)).isFalse();

    assertThat(ownership.lease(1)).isEqualTo(current);
    assertThat(stopped).containsExactly(1); // from the unassign only
  }

  @Test
  void aShardUnassignedWhileAcquiringIgnoresTheLateGrant() {
    Future<Void> assigned = ownership.assign(List.of(1));
    ownership.unassign(List.of(1));
    assertThat(assigned.succeeded()).isTrue();

    grant(requests.get(0));

    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.STOPPED);
    assertThat(ownership.lease(1)).isNull();
    assertThat(owned).isEmpty();
    assertThat(stopped).isEmpty();
  }

  @Test
  void aShardNeverHasTwoAcquiresInFlight() {
    ownership.assign(List.of(1));
    ownership.unassign(List.of(1));
    Future<Void> again = ownership.assign(List.of(1));
    ownership.assign(List.of(1));

    assertThat(requests).hasSize(1);
    grant(requests.get(0));
    assertThat(again.succeeded()).isTrue();
    assertThat(ownership.state(1)).isEqualTo(ShardOwnership.State.OWNED);
  }

  @Test
  void stopAllStopsEveryShard() {
    ownership.assign(List.of(1, 2, 3));
    grant(requests.get(0));

    ownership.stopAll();

    assertThat(stopped).containsExactly(1, 2, 3);
    assertThat(ownership.owned()).isEmpty();
  }

  @Test
  void shardsAreLoggedAsRanges() {
    assertThat(ShardOwnership.ranges(List.of(9, 0, 1, 2, 3, 7, 10, 11))).isEqualTo("0-3,7,9-11");
    assertThat(ShardOwnership.ranges(List.of())).isEmpty();
  }
}
