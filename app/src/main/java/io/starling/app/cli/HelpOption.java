package io.starling.app.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for commands whose {@code --version} names a launch plan version
 * and so cannot take picocli's standard help options (which claim {@code --version}).
 */
final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;
}
