package dev.cumulus.queue;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * queue-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.queue",
    importOptions = ImportOption.DoNotIncludeTests.class)
class QueueArchitectureTests extends ArchitectureRulesTests {}
