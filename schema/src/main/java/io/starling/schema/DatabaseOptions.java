package io.starling.schema;

import java.time.Duration;

import java.util.Objects;

/**
 * Where the PostgreSQL database is and how many connections to keep. Maps 1:1 onto the
 * {@code database.*} keys of the configuration file.
 */
public final class DatabaseOptions {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_DATABASE = "starling";
  public static final String DEFAULT_USER = "postgres";
  public static final String DEFAULT_PASSWORD = "postgres";
  public static final int DEFAULT_POOL_SIZE = 8;
  /** Statements in flight per connection; the propeller's batched writes rely on pipelining. */
  public static final int DEFAULT_PIPELINING_LIMIT = 256;
  /**
   * How long PostgreSQL lets a session of this pool sit in an open transaction with no word from
   * it before it aborts the transaction. A replica's transactions send all their statements at
   * once, so only a replica that stopped mid-transaction (paused, a long GC, cut off) waits that
   * long, and while it waits its share locks on {@code shard_leases} would keep the shards' new
   * owners from taking them over.
   */
  public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String database = DEFAULT_DATABASE;
  private String user = DEFAULT_USER;
  private String password = DEFAULT_PASSWORD;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int pipeliningLimit = DEFAULT_PIPELINING_LIMIT;
  private Duration idleInTransactionTimeout = DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT;

  public String host() {
    return host;
  }

  public DatabaseOptions host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int port() {
    return port;
  }

  public DatabaseOptions port(int port) {
    this.port = port;
    return this;
  }

  public String database() {
    return database;
  }

  public DatabaseOptions database(String database) {
    this.database = Objects.requireNonNull(database, "database");
    return this;
  }

  public String user() {
    return user;
  }

  public DatabaseOptions user(String user) {
    this.user = Objects.requireNonNull(user, "user");
    return this;
  }

  public String password() {
    return password;
  }

  public DatabaseOptions password(String password) {
    this.password = Objects.requireNonNull(password, "password");
    return this;
  }

  public int poolSize() {
    return poolSize;
  }

  public DatabaseOptions poolSize(int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("database.pool-size must be at least 1, got " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  public int pipeliningLimit() {
    return pipeliningLimit;
  }

  public DatabaseOptions pipeliningLimit(int pipeliningLimit) {
    if (pipeliningLimit < 1) {
      throw new IllegalArgumentException(
          "database.pipelining-limit must be at least 1, got " + pipeliningLimit);
    }
    this.pipeliningLimit = pipeliningLimit;
    return this;
  }

  public Duration idleInTransactionTimeout() {
    return idleInTransactionTimeout;
  }

  public DatabaseOptions idleInTransactionTimeout(Duration timeout) {
    if (timeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "database.idle-in-transaction-timeout must be at least 1ms, got " + timeout);
    }
    this.idleInTransactionTimeout = timeout;
    return this;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
