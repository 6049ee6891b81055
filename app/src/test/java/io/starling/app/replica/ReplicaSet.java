package io.starling.app.replica;

import io.starling.app.cli.AdminClient;
import io.starling.app.config.StarlingConfig;
import io.starling.auth.ApiKey;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicas of {@code starling serve} in this JVM for the tests of what they do together: one
 * embedded PostgreSQL that every replica reaches as an external database, and Hazelcast members
 * on loopback ports the test reserves.
 */
final class ReplicaSet implements AutoCloseable {

  private final EmbeddedDatabase postgres;
  private final DatabaseOptions database;
  private final List<Replica> replicas = new ArrayList<>();
  private final List<AdminClient> clients = new ArrayList<>();
  /** Replicas of serve take only API keys: this one, their bootstrap key, is the tests'. */
  private final ApiKey adminKey = ApiKey.generate();

  ReplicaSet(Path directory) {
    this.postgres = EmbeddedDatabase.start(directory.resolve("postgres"), 0, false);
    this.database = postgres.createDatabase("starling");
  }

  /** The settings every replica of the set shares: the database, ports the OS picks. */
  Map<String, String> baseSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("STARLING_DATABASE_EMBEDDED", "false");
    settings.put("STARLING_DATABASE_HOST", database.host());
    settings.put("STARLING_DATABASE_PORT", Integer.toString(database.port()));
    settings.put("STARLING_DATABASE_NAME", database.database());
    settings.put("STARLING_DATABASE_USER", database.user());
    settings.put("STARLING_DATABASE_PASSWORD", database.password());
    settings.put("STARLING_GRPC_PORT", "0");
    settings.put("STARLING_HTTP_PORT", "0");
    settings.put("STARLING_AUTH_BOOTSTRAP_KEY", adminKey.text());
    return settings;
  }

  /** Starts a replica with the base settings overridden by {@code settings}. */
  Replica start(Map<String, String> settings) {
    return start(null, settings);
  }

  /** Starts a replica from {@code file} with the base settings overridden by {@code settings}. */
  Replica start(Path file, Map<String, String> settings) {
    Map<String, String> environment = baseSettings();
    environment.putAll(settings);
    Replica replica = Replica.start(StarlingConfig.load(file, environment));
    replicas.add(replica);
    return replica;
  }

  /** A client of {@code replica}'s admin, closed with the set. */
  AdminClient client(Replica replica) {
    AdminClient client = new AdminClient("127.0.0.1", replica.grpcPort(), adminKey.text());
    clients.add(client);
    return client;
  }

  DatabaseOptions database() {
    return database;
  }

  @Override
  public void close() {
    clients.forEach(AdminClient::close);
    for (int i = replicas.size() - 1; i >= 0; i--) {
      replicas.get(i).close();
    }
    postgres.close();
  }
}
