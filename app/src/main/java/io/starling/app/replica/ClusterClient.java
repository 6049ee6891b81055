package io.starling.app.replica;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.core.HazelcastInstance;

/**
 * A Hazelcast client of another replica group's cluster, through which this replica's admin
 * hands that group's owners their notifications. It starts without waiting for the cluster and
 * keeps reconnecting: while the group is unreachable its notifications are dropped, and the
 * group's own scans find the executions.
 */
final class ClusterClient {

  private ClusterClient() {}

  static HazelcastInstance start(ClusterOptions options) {
    ClientConfig config = new ClientConfig()
        .setClusterName(options.name())
        .setProperty("hazelcast.logging.type", "slf4j")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.client.shutdownhook.enabled", "false");
    config.getConnectionStrategyConfig().setAsyncStart(true).setReconnectMode(ReconnectMode.ASYNC)
        .getConnectionRetryConfig().setClusterConnectTimeoutMillis(Long.MAX_VALUE)
        .setMaxBackoffMillis((int) options.heartbeatTimeout().toMillis());
    if (!options.kubernetesServiceDns().isEmpty()) {
      config.getNetworkConfig().getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", options.kubernetesServiceDns());
    } else {
      config.getNetworkConfig().setAddresses(options.members());
    }
    return HazelcastClient.newHazelcastClient(config);
  }
}
