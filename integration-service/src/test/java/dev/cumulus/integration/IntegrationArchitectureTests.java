package dev.cumulus.integration;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * integration-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.integration",
    importOptions = ImportOption.DoNotIncludeTests.class)
class IntegrationArchitectureTests extends ArchitectureRulesTests {}
