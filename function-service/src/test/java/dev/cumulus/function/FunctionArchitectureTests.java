package dev.cumulus.function;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * function-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.function",
    importOptions = ImportOption.DoNotIncludeTests.class)
class FunctionArchitectureTests extends ArchitectureRulesTests {}
