package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import io.starling.proto.core.ExecutionIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sandbox a test class drives end to end: an admin client to it, the CLI pointed at it, and
 * the spec files it registers. Executions are in project {@code default}, domain
 * {@code development}, as the CLI puts them.
 */
final class RunningSandbox implements AutoCloseable {

  final Replica sandbox;
  final AdminClient client;

  private RunningSandbox(Replica sandbox) {
    this.sandbox = sandbox;
    this.client = new AdminClient("127.0.0.1", sandbox.grpcPort());
  }

  /** See {@link TestSandbox#start}. */
  static RunningSandbox start(Path dataDirectory, Map<String, String> settings) {
    return new RunningSandbox(TestSandbox.start(dataDirectory, settings));
  }

  static ExecutionIdentifier execution(String name) {
    return ExecutionIdentifier.newBuilder().setProject("default").setDomain("development")
        .setName(name).build();
  }

  CommandLineRun cli(String command, String... args) {
    return CommandLineRun.against(sandbox, command, args);
  }

  /** Writes {@code spec} to {@code file} and registers it with the CLI, which must succeed. */
  void register(Path file, String spec) throws IOException {
    Files.writeString(file, spec);
    CommandLineRun register = cli("register", file.toString());
    assertThat(register.exitCode()).as(register.err()).isZero();
  }

  @Override
  public void close() {
    client.close();
    sandbox.close();
  }
}
