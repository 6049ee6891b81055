package io.starling.app.cli;

import io.starling.app.Starling;
import io.starling.app.replica.Replica;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the command line with its exit code and what it printed. */
record CommandLineRun(int exitCode, String out, String err) {

  /** Runs {@code command} with {@code args} against the admin of {@code sandbox}. */
  static CommandLineRun against(Replica sandbox, String command, String... args) {
    // After the arguments, so that it reaches a subcommand's options (schedule list).
    String[] full = new String[args.length + 3];
    full[0] = command;
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--server";
    full[args.length + 2] = "127.0.0.1:" + sandbox.grpcPort();
    return of(full);
  }

  /** Runs {@code args} in this JVM, capturing stdout and stderr. Tests run one at a time. */
  static synchronized CommandLineRun of(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Starling.run(args);
      return new CommandLineRun(exit, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
