package io.starling.propeller;

import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralMap;
import io.starling.schema.DatabaseOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads the shared schema over JDBC the way the admin does, so the propeller's tests
 * can create executions without the control plane.
 */
final class Database {

  private final DatabaseOptions options;

  Database(DatabaseOptions options) {
    this.options = options;
  }

  long insertWorkflow(CompiledWorkflowClosure closure) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
        INSERT INTO workflows (project, domain, name, version, spec, closure, created_at)
        VALUES ('p', 'd', ?, 'v1', ?, ?, now()) RETURNING id""")) {
      s.setString(1, closure.getId().getName());
      s.setBytes(2, closure.getTemplate().toByteArray());
      s.setBytes(3, closure.toByteArray());
      return single(s);
    }
  }

  long insertExecution(long workflowId, String name, int shard, int maxParallelism,
      LiteralMap inputs) throws SQLException {
    try (Connection c = connect()) {
      long launchPlan;
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO launch_plans (project, domain, name, version, workflow_id, spec, state,
                                    created_at, updated_at)
          VALUES ('p', 'd', ?, 'v1', ?, ?, 0, now(), now()) RETURNING id""")) {
        s.setString(1, "lp-" + name);
        s.setLong(2, workflowId);
        s.setBytes(3, LaunchPlanSpec.getDefaultInstance().toByteArray());
        launchPlan = single(s);
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO executions (project, domain, name, launch_plan_id, workflow_id, shard, mode,
                                  max_parallelism, inputs, phase, created_at, updated_at)
          VALUES ('p', 'd', ?, ?, ?, ?, 0, ?, ?, 1, now(), now()) RETURNING id""")) {
        s.setString(1, name);
        s.setLong(2, launchPlan);
        s.setLong(3, workflowId);
        s.setInt(4, shard);
        s.setInt(5, maxParallelism);
        s.setBytes(6, inputs.toByteArray());
        return single(s);
      }
    }
  }

  int executionPhase(long executionId) throws SQLException {
    return (int) query("SELECT phase FROM executions WHERE id = ?", executionId).get(0)[0];
  }

  LiteralMap executionOutputs(long executionId) throws Exception {
    return LiteralMap.parseFrom(
        (byte[]) query("SELECT outputs FROM executions WHERE id = ?", executionId).get(0)[0]);
  }

  /** Node rows as {node_id, phase, attempts}. */
  List<Object[]> nodes(long executionId) throws SQLException {
    return query("SELECT node_id, phase, attempts FROM node_executions WHERE execution_id = ?"
        + " ORDER BY node_id", executionId);
  }

  /** Attempt rows as {node_id, attempt, phase}. */
  List<Object[]> attempts(long executionId) throws SQLException {
    return query("SELECT node_id, attempt, phase FROM task_executions WHERE execution_id = ?"
        + " ORDER BY node_id, attempt", executionId);
  }

  /** When each attempt started, in attempt order (all nodes). */
  List<java.time.Instant> attemptStarts(long executionId) throws SQLException {
    List<java.time.Instant> starts = new ArrayList<>();
    for (Object[] row : query("SELECT started_at FROM task_executions WHERE execution_id = ?"
        + " ORDER BY node_id, attempt", executionId)) {
      starts.add(((java.sql.Timestamp) row[0]).toInstant());
    }
    return starts;
  }

  /** The packed subtask state of a map node. */
  byte[] subtasks(long executionId, String nodeId) throws SQLException {
    return (byte[]) query("SELECT subtasks FROM node_executions WHERE execution_id = ? AND node_id = '"
        + nodeId + "'", executionId).get(0)[0];
  }

  int subtaskOutputRows(long executionId) throws SQLException {
    return ((Long) query("SELECT count(*) FROM subtask_outputs WHERE execution_id = ?", executionId)
        .get(0)[0]).intValue();
  }

  /** Inserts a map node's row as a propeller that died mid-map left it, with stored outputs. */
  void insertRunningMap(long executionId, String nodeId, byte[] subtasks,
      Map<Integer, LiteralMap> outputs) throws SQLException {
    try (Connection c = connect()) {
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO node_executions (execution_id, node_id, phase, attempts, version, updated_at,
                                       subtasks) VALUES (?, ?, 2, 1, 2, now(), ?)""")) {
        s.setLong(1, executionId);
        s.setString(2, nodeId);
        s.setBytes(3, subtasks);
        s.execute();
      }
      for (Map.Entry<Integer, LiteralMap> output : outputs.entrySet()) {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO subtask_outputs VALUES (?, ?, ?, ?)")) {
          s.setLong(1, executionId);
          s.setString(2, nodeId);
          s.setInt(3, output.getKey());
          s.setBytes(4, output.getValue().toByteArray());
          s.execute();
        }
      }
    }
  }

  /** The starling.core.CacheStatus number of a node. */
  int cacheStatus(long executionId, String nodeId) throws SQLException {
    return (int) query("SELECT cache_status FROM node_executions WHERE execution_id = ? AND node_id = '"
        + nodeId + "'", executionId).get(0)[0];
  }

  void execute(String sql) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    }
  }

  private List<Object[]> query(String sql, long id) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        List<Object[]> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            Object value = rs.getObject(i + 1);
            row[i] = value instanceof Short small ? (int) small : value;
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
  }
}
