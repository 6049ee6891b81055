package io.starling.admin.store;

import io.starling.proto.core.Identifier;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Tasks, workflows and launch plans in PostgreSQL: immutable versions, listed newest first. */
public final class RegistryStore {

  private final Pool pool;

  public RegistryStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts a version unless its id exists. Returns empty when inserted, else the stored
   * version (to compare specs); race-safe through the unique index.
   */
  public Future<Optional<Stored>> insert(Kind kind, Identifier id, byte[] spec, byte[] closure,
      long workflowRowId, Instant now) {
    String columns = "project, domain, name, version, spec, created_at";
    String values = "$1, $2, $3, $4, $5, $6";
    Tuple params = Tuple.of(id.getProject(), id.getDomain(), id.getName(), id.getVersion(),
        Rows.buffer(spec), Rows.time(now));
    if (kind == Kind.WORKFLOW) {
      columns += ", closure";
      values += ", $7";
      params.addValue(Rows.buffer(closure));
    } else if (kind == Kind.LAUNCH_PLAN) {
      columns += ", workflow_id, state, updated_at";
      values += ", $7, 0, $6";
      params.addValue(workflowRowId);
    }
    String sql = "INSERT INTO " + kind.table + " (" + columns + ") VALUES (" + values
        + ") ON CONFLICT (project, domain, name, version) DO NOTHING RETURNING id";
    return pool.preparedQuery(sql).execute(params).compose(rows -> rows.size() > 0
        ? Future.succeededFuture(Optional.empty())
        : find(kind, id));
  }

  public Future<Optional<Stored>> find(Kind kind, Identifier id) {
    return pool.preparedQuery("SELECT * FROM " + kind.table
            + " WHERE project = $1 AND domain = $2 AND name = $3 AND version = $4")
        .execute(Tuple.of(id.getProject(), id.getDomain(), id.getName(), id.getVersion()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(stored(kind, rows.iterator().next())));
  }

  /** The stored version with this row id. */
  public Future<Stored> byRowId(Kind kind, long rowId) {
    return pool.preparedQuery("SELECT * FROM " + kind.table + " WHERE id = $1")
        .execute(Tuple.of(rowId)).map(rows -> stored(kind, rows.iterator().next()));
  }

  /** The versions among {@code ids} that exist, in one query. */
  public Future<List<Stored>> findAll(Kind kind, List<Identifier> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT r.* FROM " + kind.table + " r" + JOIN_IDS)
        .execute(idArrays(ids))
        .map(rows -> {
          List<Stored> found = new ArrayList<>();
          rows.forEach(row -> found.add(stored(kind, row)));
          return found;
        });
  }

  /** A launch plan with the closure of the workflow it runs. */
  public record LaunchPlanRow(Stored plan, byte[] workflowClosure) {}

  /** The launch plans among {@code ids} that exist, each with its workflow's closure. */
  /** The project and domain pairs that have launch plans, each once. */
  public Future<List<Scope>> launchPlanScopes() {
    return pool.query("SELECT DISTINCT project, domain FROM launch_plans ORDER BY 1, 2").execute()
        .map(rows -> {
          List<Scope> scopes = new ArrayList<>();
          rows.forEach(row -> scopes.add(new Scope(row.getString(0), row.getString(1))));
          return scopes;
        });
  }

  /** A project and a domain. */
  public record Scope(String project, String domain) {}

  public Future<List<LaunchPlanRow>> findLaunchPlans(List<Identifier> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT r.*, w.closure AS workflow_closure FROM launch_plans r"
            + " JOIN workflows w ON w.id = r.workflow_id" + JOIN_IDS)
        .execute(idArrays(ids))
        .map(rows -> {
          List<LaunchPlanRow> found = new ArrayList<>();
          rows.forEach(row -> found.add(new LaunchPlanRow(stored(Kind.LAUNCH_PLAN, row),
              Rows.bytes(row.getBuffer("workflow_closure")))));
          return found;
        });
  }

  private static final String JOIN_IDS = " JOIN unnest($1::text[], $2::text[], $3::text[],"
      + " $4::text[]) AS k(project, domain, name, version)"
      + " ON (r.project, r.domain, r.name, r.version) = (k.project, k.domain, k.name, k.version)";

  private static Tuple idArrays(List<Identifier> ids) {
    return Tuple.of(
        ids.stream().map(Identifier::getProject).toArray(String[]::new),
        ids.stream().map(Identifier::getDomain).toArray(String[]::new),
        ids.stream().map(Identifier::getName).toArray(String[]::new),
        ids.stream().map(Identifier::getVersion).toArray(String[]::new));
  }

  /** Versions newest first, after {@code beforeRowId} (0: from the newest). */
  public Future<List<Stored>> list(Kind kind, String project, String domain, String name,
      long beforeRowId, int limit) {
    String sql = "SELECT * FROM " + kind.table + " WHERE project = $1 AND domain = $2"
        + (name.isEmpty() ? " AND $3 = ''" : " AND name = $3")
        + " AND ($4 = 0 OR id < $4) ORDER BY id DESC LIMIT $5";
    return pool.preparedQuery(sql).execute(Tuple.of(project, domain, name, beforeRowId, limit))
        .map(rows -> {
          List<Stored> page = new ArrayList<>();
          rows.forEach(row -> page.add(stored(kind, row)));
          return page;
        });
  }

  /**
   * Activates one launch plan version and deactivates the others of its name, in one
   * transaction; {@code scheduleShard} places the version's schedule (null: it has none). A
   * version that was inactive is activated at {@code now} (a fixed rate is anchored there);
   * activating the active version again changes nothing. The schedule shards of the versions
   * touched are told (their change counters bumped), so their owners reload them.
   */
  public Future<Boolean> activate(Identifier id, Instant now, Integer scheduleShard) {
    // Activations of one name take turns on its rows: two at once would each see no other
    // version active and both activate, one failing on launch_plans_one_active.
    return pool.withTransaction(connection -> connection.preparedQuery("""
            SELECT id FROM launch_plans WHERE project = $1 AND domain = $2 AND name = $3
             ORDER BY id FOR UPDATE""")
        .execute(Tuple.of(id.getProject(), id.getDomain(), id.getName()))
        .compose(locked -> connection.preparedQuery("""
            UPDATE launch_plans SET state = 0, updated_at = $5
             WHERE project = $1 AND domain = $2 AND name = $3 AND version <> $4 AND state = 1
            RETURNING schedule_shard""")
        .execute(params(id, now)))
        .compose(deactivated -> connection.preparedQuery("""
                WITH old AS (
                  SELECT id, schedule_shard FROM launch_plans
                   WHERE project = $1 AND domain = $2 AND name = $3 AND version = $4
                     FOR UPDATE)
                UPDATE launch_plans l
                   SET state = 1, updated_at = $5, schedule_shard = $6,
                       activated_at = CASE WHEN l.state = 1 AND l.activated_at IS NOT NULL
                                           AND l.schedule_shard IS NOT NULL
                                      THEN l.activated_at ELSE $5 END
                  FROM old WHERE l.id = old.id
                RETURNING old.schedule_shard""")
            .execute(params(id, now).addValue(scheduleShard))
            .compose(activated -> {
              List<Integer> shards = new ArrayList<>();
              deactivated.forEach(row -> shards.add(row.getInteger(0)));
              activated.forEach(row -> shards.add(row.getInteger(0)));
              shards.add(scheduleShard);
              return scheduleChanged(connection, shards).map(activated.rowCount() > 0);
            })));
  }

  /** Deactivates one version; its schedule, if it had one, stops. */
  public Future<Boolean> deactivate(Identifier id, Instant now) {
    return pool.withTransaction(connection -> connection.preparedQuery("""
            UPDATE launch_plans SET state = 0, updated_at = $5
             WHERE project = $1 AND domain = $2 AND name = $3 AND version = $4
            RETURNING schedule_shard""")
        .execute(params(id, now))
        .compose(rows -> {
          List<Integer> shards = new ArrayList<>();
          rows.forEach(row -> shards.add(row.getInteger(0)));
          return scheduleChanged(connection, shards).map(rows.rowCount() > 0);
        }));
  }

  /** Active versions not placed on a schedule shard (activated before schedules fired). */
  public Future<List<Stored>> unplacedActive() {
    return pool.query("SELECT * FROM launch_plans WHERE state = 1 AND schedule_shard IS NULL")
        .execute().map(rows -> {
          List<Stored> found = new ArrayList<>();
          rows.forEach(row -> found.add(stored(Kind.LAUNCH_PLAN, row)));
          return found;
        });
  }

  /**
   * Places active versions' schedules on shards as if activated at {@code now} (nothing before
   * is caught up), telling the shards, in one transaction.
   */
  public Future<Void> place(List<Long> rowIds, List<Integer> shards, Instant now) {
    return pool.withTransaction(connection -> connection.preparedQuery("""
            UPDATE launch_plans l SET schedule_shard = u.shard, activated_at = $3
              FROM unnest($1::bigint[], $2::int[]) AS u(id, shard)
             WHERE l.id = u.id AND l.state = 1 AND l.schedule_shard IS NULL""")
        .execute(Tuple.tuple(List.of(rowIds.toArray(new Long[0]), shards.toArray(new Integer[0]),
            Rows.time(now))))
        .compose(placed -> scheduleChanged(connection, shards)));
  }

  private static Future<Void> scheduleChanged(SqlClient client, List<Integer> shards) {
    Integer[] changed = shards.stream().filter(Objects::nonNull).distinct().sorted()
        .toArray(Integer[]::new);
    if (changed.length == 0) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO schedule_shards (shard, changes) SELECT s, 1 FROM unnest($1::int[]) AS s
            ON CONFLICT (shard) DO UPDATE SET changes = schedule_shards.changes + 1""")
        .execute(Tuple.of((Object) changed)).mapEmpty();
  }

  /** The active versions of a project and domain, by name, after {@code afterName}. */
  public Future<List<Stored>> listActive(String project, String domain, String afterName,
      int limit) {
    return pool.preparedQuery("""
            SELECT * FROM launch_plans WHERE project = $1 AND domain = $2 AND state = 1
               AND name > $3 ORDER BY name LIMIT $4""")
        .execute(Tuple.of(project, domain, afterName, limit))
        .map(rows -> {
          List<Stored> page = new ArrayList<>();
          rows.forEach(row -> page.add(stored(Kind.LAUNCH_PLAN, row)));
          return page;
        });
  }

  /** An active version with a schedule, and the newest slot its name fired (null: none). */
  public record ScheduledRow(Stored plan, Instant lastScheduledAt) {}

  /**
   * The active versions of a project and domain whose schedules are placed (what the scheduler
   * fires), by name, after {@code afterName}, each with the newest {@code scheduled_at} of the
   * executions of any version of its name.
   */
  public Future<List<ScheduledRow>> listScheduled(String project, String domain,
      String afterName, int limit) {
    return pool.preparedQuery("""
            SELECT l.*, (SELECT max(last.scheduled_at) FROM launch_plans v
                           CROSS JOIN LATERAL (
                             SELECT e.scheduled_at FROM executions e
                              WHERE e.launch_plan_id = v.id AND e.scheduled_at IS NOT NULL
                              ORDER BY e.scheduled_at DESC LIMIT 1) last
                          WHERE v.project = l.project AND v.domain = l.domain
                            AND v.name = l.name) AS last_scheduled_at
              FROM launch_plans l
             WHERE l.project = $1 AND l.domain = $2 AND l.state = 1
               AND l.schedule_shard IS NOT NULL AND l.name > $3
             ORDER BY l.name LIMIT $4""")
        .execute(Tuple.of(project, domain, afterName, limit))
        .map(rows -> {
          List<ScheduledRow> page = new ArrayList<>();
          rows.forEach(row -> page.add(new ScheduledRow(stored(Kind.LAUNCH_PLAN, row),
              Rows.instant(row.getOffsetDateTime("last_scheduled_at")))));
          return page;
        });
  }

  private static Tuple params(Identifier id, Instant now) {
    return Tuple.of(id.getProject(), id.getDomain(), id.getName(), id.getVersion(), Rows.time(now));
  }

  private static Stored stored(Kind kind, Row row) {
    Identifier id = Identifier.newBuilder().setResourceType(kind.resourceType())
        .setProject(row.getString("project")).setDomain(row.getString("domain"))
        .setName(row.getString("name")).setVersion(row.getString("version")).build();
    return new Stored(
        row.getLong("id"),
        id,
        Rows.bytes(row.getBuffer("spec")),
        kind == Kind.WORKFLOW ? Rows.bytes(row.getBuffer("closure")) : null,
        kind == Kind.LAUNCH_PLAN ? row.getLong("workflow_id") : 0,
        kind == Kind.LAUNCH_PLAN ? row.getShort("state") : 0,
        Rows.instant(row.getOffsetDateTime("created_at")),
        kind == Kind.LAUNCH_PLAN ? Rows.instant(row.getOffsetDateTime("updated_at")) : null,
        kind == Kind.LAUNCH_PLAN ? Rows.instant(row.getOffsetDateTime("activated_at")) : null);
  }
}
