package io.starling.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.schema.RestartableDatabase;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerOptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The admin while its database is away: UNAVAILABLE, said once in the log, and back after. */
class DatabaseOutageIT {

  @Test
  void callsAreUnavailableWhileTheDatabaseIsAwayAndTheLogSaysSoOnce() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    try (RestartableDatabase postgres = RestartableDatabase.start();
        AdminServer admin = new AdminServer(postgres.options(), new GrpcServerOptions())) {
      ExecutionIdentifier id = admin.launch("before", 1);
      postgres.stop();

      for (int i = 0; i < 10; i++) {
        Refusal get = admin.refusal(AdminServiceGrpcClient.GetExecution,
            ExecutionGetRequest.newBuilder().setId(id).build());
        Refusal list = admin.refusal(AdminServiceGrpcClient.ListTasks,
            ResourceListRequest.newBuilder().setProject("proj").setDomain("dev").build());
        assertThat(get.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(get.message()).isEqualTo("the database is unreachable; the call can be retried");
        assertThat(list.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
      }
      postgres.restart();
      admin.call(AdminServiceGrpcClient.GetExecution,
          ExecutionGetRequest.newBuilder().setId(id).build());
      admin.call(AdminServiceGrpcClient.ListExecutions,
          ExecutionListRequest.newBuilder().setProject("proj").setDomain("dev").build());
    } finally {
      root.detachAppender(log);
    }

    assertThat(log.list).filteredOn(event -> event.getLevel() == Level.ERROR).isEmpty();
    assertThat(log.list).filteredOn(event -> event.getLoggerName().endsWith("DatabaseHealth"))
        .extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(2)
        .satisfiesExactly(
            lost -> assertThat(lost).startsWith("the database does not answer"),
            back -> assertThat(back).isEqualTo("the database answers again"));
  }
}
