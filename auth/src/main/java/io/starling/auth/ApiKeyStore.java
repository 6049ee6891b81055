package io.starling.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code api_keys} table: keys created, listed, revoked and looked up by id. */
public final class ApiKeyStore {

  private static final String COLUMNS =
      "key_id, name, project, roles, created_at, revoked_at, salt, hash";
  private static final String INSERT = """
      INSERT INTO api_keys (key_id, name, project, roles, salt, hash)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_id) DO NOTHING
      RETURNING %s""".formatted(COLUMNS);
  private static final String FIND = "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = $1";
  private static final String LIST = "SELECT " + COLUMNS + " FROM api_keys"
      + " WHERE ($1 = '' OR project = $1) ORDER BY created_at, key_id";
  private static final String REVOKE = "UPDATE api_keys SET revoked_at = now()"
      + " WHERE key_id = $1 AND revoked_at IS NULL";

  private final Pool pool;

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  /** A key made and kept: its row, and its text, which is never shown again. */
  public record Created(StoredKey stored, ApiKey key) {}

  /** Makes a key of {@code roles} in {@code project} ({@link Principal#ALL_PROJECTS} for all). */
  public Future<Created> create(String name, String project, Set<Role> roles) {
    ApiKey key = ApiKey.generate();
    return insert(key, name, project, roles).map(stored -> new Created(stored.orElseThrow(
        () -> new IllegalStateException("a new key id was taken: " + key.keyId())), key));
  }

  /**
   * Keeps {@code key} as an admin key of every project, named {@code bootstrap}, unless a key
   * of its id exists (revoked or not); true when it was kept now.
   */
  public Future<Boolean> bootstrap(ApiKey key) {
    return insert(key, "bootstrap", Principal.ALL_PROJECTS, EnumSet.of(Role.ADMIN))
        .map(Optional::isPresent);
  }

  private Future<Optional<StoredKey>> insert(ApiKey key, String name, String project,
      Set<Role> roles) {
    byte[] salt = ApiKey.salt();
    return pool.preparedQuery(INSERT).execute(Tuple.tuple(List.of(key.keyId(), name, project,
            roles.stream().map(Role::id).toArray(String[]::new),
            io.vertx.core.buffer.Buffer.buffer(salt),
            io.vertx.core.buffer.Buffer.buffer(ApiKey.hash(salt, key.secret())))))
        .map(ApiKeyStore::first);
  }

  public Future<Optional<StoredKey>> find(String keyId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(keyId)).map(ApiKeyStore::first);
  }

  /** The keys of {@code project}, or of every project when it is empty; revoked ones too. */
  public Future<List<StoredKey>> list(String project) {
    return pool.preparedQuery(LIST).execute(Tuple.of(project)).map(rows -> {
      List<StoredKey> keys = new ArrayList<>(rows.size());
      rows.forEach(row -> keys.add(stored(row)));
      return keys;
    });
  }

  /** Revokes the key; false when there is no valid key of that id. */
  public Future<Boolean> revoke(String keyId) {
    return pool.preparedQuery(REVOKE).execute(Tuple.of(keyId)).map(rows -> rows.rowCount() == 1);
  }

  private static Optional<StoredKey> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(stored(rows.iterator().next()))
        : Optional.empty();
  }

  private static StoredKey stored(Row row) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : row.getArrayOfStrings("roles")) {
      roles.add(Role.of(role));
    }
    return new StoredKey(row.getString("key_id"), row.getString("name"),
        row.getString("project"), roles, instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("revoked_at")), row.getBuffer("salt").getBytes(),
        row.getBuffer("hash").getBytes());
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
