package dev.cumulus.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process. */
final class Processes {

  private Processes() {}

  /** True when this JVM runs with user id 0 (falls back to the user name off Linux). */
  static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
