package dev.cumulus.platform.data;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/** platform-data, like platform, uses no service: every domain service builds on it. */
@AnalyzeClasses(packages = "dev.cumulus.platform")
class PlatformDataArchitectureTests {

  @ArchTest
  static final ArchRule platform_data_uses_no_service =
      ArchitectureRulesTests.modules_use_only_themselves_and_platform;
}
