package dev.cumulus.e2e;

import com.tngtech.archunit.junit.AnalyzeClasses;
import dev.cumulus.platform.testsupport.ArchitectureRulesTests;

/**
 * The end-to-end tests drive the services as separate processes over HTTP and Kafka, as a client
 * would: they use no service's code (the module rule), only platform's. All of e2e is test code, so
 * its tests are what is checked.
 */
@AnalyzeClasses(packages = "dev.cumulus.e2e")
class E2eArchitectureTests extends ArchitectureRulesTests {}
