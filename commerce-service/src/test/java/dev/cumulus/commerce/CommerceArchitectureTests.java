package dev.cumulus.commerce;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * commerce-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.commerce",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CommerceArchitectureTests extends ArchitectureRulesTests {}
