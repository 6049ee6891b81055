package io.starling.propeller.plugin.process;

/** Options of the {@code process} plugin; config keys {@code plugins.process.*}. */
public final class ProcessOptions {

  /** Processes running at once; further attempts wait in line. */
  public static final int DEFAULT_MAX_CONCURRENT = 2 * Runtime.getRuntime().availableProcessors();
  /** The most a task may write to stdout. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
  /** How much of stderr a failure carries. */
  public static final int DEFAULT_STDERR_TAIL_BYTES = 2048;

  private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
  private int maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
  private int stderrTailBytes = DEFAULT_STDERR_TAIL_BYTES;

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public ProcessOptions maxConcurrent(int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException(
          "plugins.process.max-concurrent must be at least 1, got " + maxConcurrent);
    }
    this.maxConcurrent = maxConcurrent;
    return this;
  }

  public int maxOutputBytes() {
    return maxOutputBytes;
  }

  public ProcessOptions maxOutputBytes(int maxOutputBytes) {
    this.maxOutputBytes = maxOutputBytes;
    return this;
  }

  public int stderrTailBytes() {
    return stderrTailBytes;
  }

  public ProcessOptions stderrTailBytes(int stderrTailBytes) {
    this.stderrTailBytes = stderrTailBytes;
    return this;
  }
}
