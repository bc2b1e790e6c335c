package dev.cumulus.kafka;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * kafka-service against the package rules of ARCHITECTURE.md §3: today, that it uses no other
 * service.
 */
@AnalyzeClasses(
    packages = "dev.cumulus.kafka",
    importOptions = ImportOption.DoNotIncludeTests.class)
class KafkaArchitectureTests extends ArchitectureRulesTests {}
