package io.starling.propeller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.Phases;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The partial indexes of active executions, written in the migrations as numbers, select the
 * phases the contract calls non-terminal: the queries that name them through {@link Phases} can
 * use them, and a new phase in the contract fails this test until a migration follows.
 */
class PhaseNumbersIT {

  @Test
  void thePartialIndexesOfActiveExecutionsSelectTheContractsActivePhases() throws Exception {
    DatabaseOptions options = TestDatabases.fresh();
    List<String> definitions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.user(),
            options.password());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT indexdef FROM pg_indexes"
            + " WHERE indexname IN ('executions_active', 'executions_active_by_project')")) {
      while (rows.next()) {
        definitions.add(rows.getString(1));
      }
    }

    assertThat(definitions).hasSize(2).allSatisfy(definition ->
        assertThat(phasesIn(definition)).isEqualTo(Phases.ACTIVE_EXECUTIONS_SQL));
  }

  /** The phase numbers of an index's WHERE clause, as an SQL list. */
  private static String phasesIn(String definition) {
    Matcher array = Pattern.compile("ARRAY\\[([0-9, ]+)\\]").matcher(definition);
    assertThat(array.find()).as(definition).isTrue();
    return "(" + array.group(1) + ")";
  }
}
