package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.Starling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help with its usage; an unknown command is an error whatever follows. */
class CommandLineHelpTest {

  private static List<List<String>> commands(CommandLine line, List<String> path) {
    List<List<String>> all = new ArrayList<>();
    line.getSubcommands().forEach((name, sub) -> {
      List<String> next = new ArrayList<>(path);
      next.add(name);
      all.add(next);
      all.addAll(commands(sub, next));
    });
    return all;
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    List<List<String>> commands = commands(new CommandLine(new Starling()), List.of());
    assertThat(commands).hasSizeGreaterThan(12);
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      CommandLineRun run = CommandLineRun.of(args.toArray(String[]::new));

      assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
      assertThat(run.out()).as(String.join(" ", args))
          .startsWith("Usage: starling " + String.join(" ", command));
    }
  }

  @Test
  void anUnknownCommandIsAnErrorEvenWithHelp() {
    for (String[] args : new String[][] {{"nonsense"}, {"nonsense", "--help"},
        {"schedule", "nonsense", "--help"}}) {
      CommandLineRun run = CommandLineRun.of(args);

      assertThat(run.exitCode()).as(String.join(" ", args)).isNotZero();
      assertThat(run.err()).as(String.join(" ", args)).contains("nonsense");
    }
  }
}
