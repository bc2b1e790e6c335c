package dev.cumulus.devstack;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/** devstack runs the infrastructure every service needs, so it uses no service's code. */
@AnalyzeClasses(
    packages = "dev.cumulus.devstack",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DevstackArchitectureTests extends ArchitectureRulesTests {}
