package dev.cumulus.function.sandbox.application;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One sandboxed runtime process speaking the line protocol (see {@code runtimes/bootstrap.py}). Its
 * methods block: callers run them on the invocation scheduler, never on an event loop.
 */
final class RuntimeProcess {

  /** The process ended (or was killed) before it answered. */
  static final class ExitedException extends IOException {
    ExitedException(String message) {
      super(message);
    }
  }

  private final Process process;
  private final BufferedReader out;
  private final BufferedWriter in;
  private final Path stderr;
  private final String revision;
  private volatile long idleSinceNanos = System.nanoTime();

  private RuntimeProcess(Process process, Path stderr, String revision) {
    this.process = process;
    this.stderr = stderr;
    this.revision = revision;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
  }

  static RuntimeProcess start(List<String> argv, Path stderr, String revision) throws IOException {
    Files.createDirectories(stderr.getParent());
    Process process =
        new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.to(stderr.toFile())).start();
    return new RuntimeProcess(process, stderr, revision);
  }

  String revision() {
    return revision;
  }

  /**
   * Sends one line and reads until a line that {@code answer} turns into a value (not null); the
   * lines before it (output the function wrote around the runtime) are collected in {@code stray}.
   */
  <T> T exchange(String line, Function<String, T> answer, StringBuilder stray) throws IOException {
    try {
      in.write(line);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      throw new ExitedException("the runtime process is gone: " + e.getMessage());
    }
    for (String read = out.readLine(); read != null; read = out.readLine()) {
      T value = answer.apply(read);
      if (value != null) {
        return value;
      }
      stray.append(read).append('\n');
    }
    throw new ExitedException("the runtime process exited");
  }

  boolean alive() {
    return process.isAlive();
  }

  void markIdle() {
    idleSinceNanos = System.nanoTime();
  }

  long idleNanos() {
    return System.nanoTime() - idleSinceNanos;
  }

  /** Kills the sandbox (bwrap takes its children with it: {@code --die-with-parent}). */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Waits briefly for the process to end (after a kill), so its exit is observable. */
  void awaitExit() {
    try {
      process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The end of what the process wrote to stderr (crash reports of the runtime itself). */
  String stderrTail(int maxChars) {
    try (RandomAccessFile file = new RandomAccessFile(stderr.toFile(), "r")) {
      long start = Math.max(0, file.length() - maxChars);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  void close() {
    kill();
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException ignored) {
      // a leftover log file is harmless; the work directory is the service's own
    }
  }
}
