package dev.cumulus.function.sandbox.application;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.sandbox.domain.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bubblewrap command line of one runtime process. The process sees the system's programs
 * ({@code /usr}, read-only), its function's code at {@code /var/task} and the bootstrap at {@code
 * /var/runtime} (both read-only), a small private {@code /tmp}, and nothing else of the host: no
 * {@code /etc}, no other function's code, no host processes (own PID namespace), no network unless
 * the function allows it. Memory is limited with {@code prlimit}'s data-segment limit.
 */
final class SandboxCommand {

  private static final long MB = 1024L * 1024L;

  private SandboxCommand() {}

  static List<String> of(
      FunctionProperties.Sandbox sandbox,
      FunctionProperties.Runtime runtime,
      Deployment deployment,
      Path codeDir,
      Path bootstrapDir) {
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of(sandbox.bwrap(), "--unshare-all"));
    if (deployment.networkAllowed()) {
      argv.add("--share-net");
    }
    argv.addAll(
        List.of(
            "--die-with-parent",
            "--new-session",
            "--hostname",
            "cumulus-function",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
            "--symlink",
            "usr/bin",
            "/bin",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--size",
            Long.toString(sandbox.tmpSizeMb() * MB),
            "--tmpfs",
            "/tmp",
            "--ro-bind",
            codeDir.toString(),
            "/var/task",
            "--ro-bind",
            bootstrapDir.toString(),
            "/var/runtime"));
    if (deployment.networkAllowed()) {
      // Name resolution and TLS roots, only for functions that may use the network.
      for (String path :
          List.of("/etc/resolv.conf", "/etc/hosts", "/etc/ssl", "/etc/nsswitch.conf")) {
        argv.addAll(List.of("--ro-bind-try", path, path));
      }
    }
    // The root is bwrap's own tmpfs: read-only once everything is mounted (/tmp stays writable).
    argv.addAll(List.of("--remount-ro", "/"));
    argv.addAll(
        List.of(
            "--chdir",
            "/var/task",
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/local/bin:/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "LAMBDA_TASK_ROOT",
            "/var/task",
            "--setenv",
            "AWS_LAMBDA_FUNCTION_NAME",
            deployment.functionName(),
            "--setenv",
            "AWS_LAMBDA_FUNCTION_VERSION",
            deployment.version(),
            "--setenv",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            Integer.toString(deployment.memoryMb()),
            "--",
            "/usr/bin/prlimit",
            "--data=" + (deployment.memoryMb() + (long) runtime.memoryOverheadMb()) * MB,
            "--nofile=" + sandbox.maxOpenFiles(),
            "--core=0",
            "--"));
    for (String part : runtime.command()) {
      argv.add(part.replace("{memory}", Integer.toString(deployment.memoryMb())));
    }
    return argv;
  }
}
