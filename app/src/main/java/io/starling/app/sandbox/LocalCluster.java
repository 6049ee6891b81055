package io.starling.app.sandbox;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** A Hazelcast member that forms a cluster of one on localhost: the sandbox's partition table. */
final class LocalCluster {

  private LocalCluster() {}

  static HazelcastInstance start(String name, int port, int partitions) {
    Config config = new Config()
        .setClusterName(name)
        .setProperty("hazelcast.logging.type", "slf4j")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.partition.count", Integer.toString(partitions));
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    config.getJetConfig().setEnabled(false);
    return Hazelcast.newHazelcastInstance(config);
  }
}
