package io.starling.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code starling completion}: a bash (and zsh) completion script of every command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a bash/zsh completion script: source <(./starling completion)")
public final class CompletionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    System.out.print(AutoComplete.bash(root.getCommandName(), root));
    return 0;
  }
}
