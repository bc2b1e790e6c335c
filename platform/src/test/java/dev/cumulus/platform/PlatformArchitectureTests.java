package dev.cumulus.platform;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * platform, its test support included, uses no service: every service builds on it. Its packages
 * are a library's parts, not a service's features, so the feature rules do not apply.
 */
@AnalyzeClasses(packages = "dev.cumulus.platform")
class PlatformArchitectureTests {

  @ArchTest
  static final ArchRule platform_uses_no_service =
      ArchitectureRulesTests.modules_use_only_themselves_and_platform;
}
