package io.starling.app.replica;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts the Hazelcast member of a replica: its partition table decides which shards the
 * replica runs (partition {@code i} is shard {@code i}), and its executor carries notifications
 * to the member that owns an execution's shard. Members find each other by a TCP-IP list or
 * by Kubernetes' DNS for a headless service; with neither, the member forms a cluster of its
 * own. A replica without the propeller role joins as a lite member, which owns no partitions.
 */
final class ClusterMember {

  private ClusterMember() {}

  /** The member attribute that names the roles with which a partition owner runs its shards. */
  private static final String SHARD_ROLES = "starling.shard-roles";

  /**
   * Starts the member and waits until {@code minMembers} are in its cluster; throws
   * {@link IllegalStateException} saying what formed when they do not come in time, or when a
   * partition owner already in the cluster runs its shards with other roles than
   * {@code shardRoles} (the executions or the schedules of some shards would never run). With
   * no shard roles the member is a lite member: it owns no partition.
   */
  static HazelcastInstance start(ClusterOptions options, Set<Role> shardRoles) {
    boolean owner = !shardRoles.isEmpty();
    String roles = names(shardRoles);
    Config config = new Config()
        .setClusterName(options.name())
        .setLiteMember(!owner)
        .setProperty("hazelcast.logging.type", "slf4j")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.shutdownhook.enabled", "false")
        .setProperty("hazelcast.partition.count", Integer.toString(options.partitions()))
        .setProperty("hazelcast.heartbeat.interval.seconds",
            Long.toString(options.heartbeatInterval().toSeconds()))
        .setProperty("hazelcast.max.no.heartbeat.seconds",
            Long.toString(options.heartbeatTimeout().toSeconds()))
        .setProperty("hazelcast.merge.first.run.delay.seconds",
            Long.toString(options.mergeDelay().toSeconds()))
        .setProperty("hazelcast.merge.next.run.delay.seconds",
            Long.toString(options.mergeDelay().toSeconds()));
    config.getJetConfig().setEnabled(false);
    config.getMemberAttributeConfig().setAttribute(SHARD_ROLES, roles);
    config.getNetworkConfig().setPort(options.port()).setPortAutoIncrement(true);
    if (!options.host().isBlank() && !options.host().equals("0.0.0.0")) {
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(options.host());
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcpIp = join.getTcpIpConfig().setEnabled(!options.members().isEmpty());
    options.members().forEach(tcpIp::addMember);
    if (!options.kubernetesServiceDns().isEmpty()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", options.kubernetesServiceDns());
    }
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
    awaitMembers(hazelcast, options);
    if (owner) {
      checkShardRoles(hazelcast, roles);
    }
    return hazelcast;
  }

  private static void checkShardRoles(HazelcastInstance hazelcast, String roles) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      String theirs = member.getAttribute(SHARD_ROLES);
      if (!member.isLiteMember() && !member.localMember() && theirs != null
          && !theirs.equals(roles)) {
        hazelcast.getLifecycleService().terminate();
        throw new IllegalStateException("the replica at " + member.getAddress() + " runs its"
            + " shards as [" + theirs + "] and this one as [" + roles + "]; give every replica"
            + " that runs shards the same of the roles propeller and scheduler, or the"
            + " executions or schedules of some shards never run");
      }
    }
  }

  private static String names(Set<Role> roles) {
    return roles.stream().map(role -> role.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  private static void awaitMembers(HazelcastInstance hazelcast, ClusterOptions options) {
    CountDownLatch joined = new CountDownLatch(1);
    UUID listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (event.getMembers().size() >= options.minMembers()) {
          joined.countDown();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {}
    });
    boolean formed;
    try {
      if (hazelcast.getCluster().getMembers().size() >= options.minMembers()) {
        joined.countDown();
      }
      formed = joined.await(options.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      hazelcast.getLifecycleService().terminate();
      throw new IllegalStateException("interrupted while the cluster formed", e);
    }
    hazelcast.getCluster().removeMembershipListener(listener);
    if (!formed) {
      int members = hazelcast.getCluster().getMembers().size();
      hazelcast.getLifecycleService().terminate();
      throw new IllegalStateException("the cluster did not form: " + members + " of "
          + options.minMembers() + " members (cluster.min-members) after "
          + options.joinTimeout().toSeconds() + "s; check cluster.members "
          + options.members() + " and that every replica has cluster.name '" + options.name()
          + "'");
    }
  }
}
