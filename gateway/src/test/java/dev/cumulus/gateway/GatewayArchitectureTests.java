package dev.cumulus.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/** The gateway's main code against the package rules of ARCHITECTURE.md §3. */
@AnalyzeClasses(
    packages = "dev.cumulus.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTests extends ArchitectureRulesTests {}
