package dev.cumulus.auth;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/** auth-service's main code against the package rules of ARCHITECTURE.md §3. */
@AnalyzeClasses(packages = "dev.cumulus.auth", importOptions = ImportOption.DoNotIncludeTests.class)
class AuthArchitectureTests extends ArchitectureRulesTests {}
