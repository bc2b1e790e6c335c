package dev.cumulus.updater;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * updater-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.updater",
    importOptions = ImportOption.DoNotIncludeTests.class)
class UpdaterArchitectureTests extends ArchitectureRulesTests {}
