package dev.cumulus.database;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * database-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.database",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DatabaseArchitectureTests extends ArchitectureRulesTests {}
