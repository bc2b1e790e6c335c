package dev.cumulus.platform.testsupport;

import com.tngtech.archunit.core.domain.JavaClass;

/**
 * Where a class sits in the layout of ARCHITECTURE.md §3: {@code
 * dev.cumulus.<module>.<feature>.<layer>..}. Parts a package does not have are null; a class
 * outside {@code dev.cumulus} has no module.
 */
record CumulusPackage(String module, String feature, String layer) {

  static final String ROOT = "dev.cumulus.";

  /** The module every other module may use. */
  static final String PLATFORM = "platform";

  /** The feature of a module that every feature of it may use, persistence helpers included. */
  static final String COMMON = "common";

  static CumulusPackage of(JavaClass javaClass) {
    JavaClass base = javaClass.getBaseComponentType();
    String name = base.getPackageName();
    if (!name.startsWith(ROOT)) {
      return new CumulusPackage(null, null, null);
    }
    String[] parts = name.substring(ROOT.length()).split("\\.");
    return new CumulusPackage(part(parts, 0), part(parts, 1), part(parts, 2));
  }

  boolean inCumulus() {
    return module != null;
  }

  private static String part(String[] parts, int index) {
    return index < parts.length ? parts[index] : null;
  }
}
