package io.starling.propeller.store;

import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.propeller.graph.ExecutionGraph;
import io.starling.propeller.graph.GraphCompiler;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Execution graphs by workflow row id. Workflow versions are immutable, so a graph is built
 * once and shared by every execution of that version; the least recently used are dropped.
 */
final class GraphCache {

  private final Pool pool;
  private final Map<Long, Future<ExecutionGraph>> graphs;

  GraphCache(Pool pool, int capacity) {
    this.pool = pool;
    this.graphs = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Future<ExecutionGraph>> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized Future<ExecutionGraph> graph(long workflowId) {
    Future<ExecutionGraph> graph = graphs.get(workflowId);
    if (graph == null || graph.failed()) {
      graph = pool.preparedQuery("SELECT closure FROM workflows WHERE id = $1")
          .execute(Tuple.of(workflowId))
          .map(rows -> GraphCompiler.compile(Protos.parse(
              CompiledWorkflowClosure.parser(), rows.iterator().next().getBuffer("closure"))));
      graphs.put(workflowId, graph);
    }
    return graph;
  }
}
