package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says when what it is given is wrong: one line that names the cause. */
class CommandLineErrorsIT {

  @TempDir Path directory;

  private static String error(CommandLineRun run) {
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    return run.err().strip();
  }

  @Test
  void aYamlSyntaxErrorNamesTheFileLineAndColumn() throws Exception {
    Path spec = directory.resolve("broken.yaml");
    Files.writeString(spec, "project: default\ndomain: development\ntasks:\n  - {name: a, version: v1\n");

    assertThat(error(CommandLineRun.of("register", "--server", "127.0.0.1:1", spec.toString())))
        .isEqualTo("error: " + spec + ":5:1: while parsing a flow mapping: expected ',' or '}',"
            + " but got <stream end>");
  }

  @Test
  void aMissingFileOrADirectoryIsSaidSo() {
    Path missing = directory.resolve("nope.yaml");

    assertThat(error(CommandLineRun.of("register", "--server", "127.0.0.1:1", missing.toString())))
        .isEqualTo("error: " + missing + " does not exist");
    assertThat(error(CommandLineRun.of("register", "--server", "127.0.0.1:1", directory.toString())))
        .isEqualTo("error: " + directory + " is a directory; give a YAML or JSON spec file");
  }

  @Test
  void anUnresolvableServerHostIsSaidSo() {
    assertThat(error(CommandLineRun.of("list", "--server", "no-such-host.invalid:8089")))
        .isEqualTo("error: UNAVAILABLE: cannot resolve the server's host no-such-host.invalid"
            + " (--server HOST:PORT)");
  }
}
