package dev.cumulus.storage;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

@AnalyzeClasses(
    packages = "dev.cumulus.storage",
    importOptions = ImportOption.DoNotIncludeTests.class)
class StorageArchitectureTests extends ArchitectureRulesTests {}
