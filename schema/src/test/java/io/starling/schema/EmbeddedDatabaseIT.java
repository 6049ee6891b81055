package io.starling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseIT {

  @TempDir Path dataDirectory;

  @Test
  void migratedDataSurvivesARestartOnTheSameDataDirectory() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDirectory, 0, false)) {
      DatabaseOptions options = db.createDatabase("starling");
      Database.migrate(options);
      try (Connection c = connect(options); Statement s = c.createStatement()) {
        s.execute("INSERT INTO shard_leases VALUES (7, 'replica-a', 3, now())");
        assertThat(setting(s, "fsync")).isEqualTo("off");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDirectory, 0, true)) {
      DatabaseOptions options = db.createDatabase("starling");
      Database.migrate(options);
      try (Connection c = connect(options);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT owner, epoch FROM shard_leases WHERE shard = 7")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("replica-a");
        assertThat(rs.getLong(2)).isEqualTo(3);
        assertThat(setting(s, "fsync")).as("durable commits reach the disk").isEqualTo("on");
        assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
      }
    }
  }

  private static String setting(Statement statement, String name) throws Exception {
    try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect(DatabaseOptions options) throws Exception {
    return DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
  }
}
