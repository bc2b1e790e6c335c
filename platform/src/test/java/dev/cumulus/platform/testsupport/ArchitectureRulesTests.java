package dev.cumulus.platform.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.function.BiPredicate;

/**
 * The package rules of ARCHITECTURE.md §3, checked by ArchUnit. A module gets them all with one
 * class that names its root package:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "dev.cumulus.auth", importOptions = ImportOption.DoNotIncludeTests.class)
 * class AuthArchitectureTests extends ArchitectureRulesTests {}
 * }</pre>
 *
 * Packages are {@code dev.cumulus.<module>.<feature>.<layer>..}: a module (service, gateway,
 * platform, ...) owns its features, and a feature its layers ({@code domain}, {@code application},
 * {@code web}, {@code persistence}, {@code messaging}, {@code config}, ...). A module's feature
 * {@code common} is its shared kernel: every feature may use it, it uses no feature (which the
 * cycle rule enforces). Classes in the module's root package (the application class, wiring that
 * knows every feature) belong to no feature. The rules are written for every module at once, so a
 * module without features (an empty service) passes the feature rules trivially and is held to the
 * module rule alone.
 */
public abstract class ArchitectureRulesTests {

  private static final String DOMAIN = "dev.cumulus.*.*.domain..";
  private static final String APPLICATION = "dev.cumulus.*.*.application..";
  private static final String WEB = "dev.cumulus.*.*.web..";
  private static final String PERSISTENCE = "dev.cumulus.*.*.persistence..";

  /**
   * Also the rule that fails when a module's root package is mistyped: it needs classes. Public for
   * platform's own test, which holds platform to this rule alone (its packages are a library's, not
   * features).
   */
  @ArchTest
  public static final ArchRule modules_use_only_themselves_and_platform =
      classes()
          .should(
              notDependOn(
                  "another module than itself or dev.cumulus.platform",
                  (origin, target) ->
                      target.inCumulus()
                          && !target.module().equals(origin.module())
                          && !target.module().equals(CumulusPackage.PLATFORM)))
          .as("Modules use no other module's code, only their own and dev.cumulus.platform")
          .because(
              "services share code only through platform and facts only through events or their"
                  + " HTTP APIs (ARCHITECTURE.md §2-3), and platform uses no service: move what"
                  + " both need to platform, or call the other service's API");

  @ArchTest
  static final ArchRule features_use_no_other_features_persistence =
      classes()
          .should(
              notDependOn(
                  "another feature's persistence package",
                  (origin, target) ->
                      target.inCumulus()
                          && target.module().equals(origin.module())
                          && "persistence".equals(target.layer())
                          && !target.feature().equals(origin.feature())
                          && !target.feature().equals(CumulusPackage.COMMON)))
          .as("Features use no other feature's persistence package ('common' is shared)")
          .because(
              "a feature owns its tables: ask the owning feature's application layer (a service"
                  + " method there), or, where that would make a cycle, declare a port in your"
                  + " feature's application package and implement it in the owning feature");

  @ArchTest
  static final ArchRule features_are_free_of_cycles =
      slices()
          .matching("dev.cumulus.*.(*)..")
          .namingSlices("feature '$1'")
          .should()
          .beFreeOfCycles()
          .as("Features of a module depend on each other without cycles")
          .because(
              "a cycle makes two features one: keep the dependency in one direction, invert the"
                  + " other with a port (an interface in the using feature's application package,"
                  + " implemented by the owning feature), or move a concept both need to 'common'")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule domain_uses_no_outer_layer =
      noClasses()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(APPLICATION, WEB)
          .as("domain packages use no application or web package (web -> application -> domain)")
          .because(
              "the domain is the core every layer builds on: move the code that needs application"
                  + " or web types up into the application layer")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule application_uses_no_web =
      noClasses()
          .that()
          .resideInAPackage(APPLICATION)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(WEB)
          .as("application packages use no web package (web -> application -> domain)")
          .because(
              "the application layer serves every adapter (REST, protocol, events): move what it"
                  + " needs from web (an exception, a value) into application or domain")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule persistence_uses_no_web =
      noClasses()
          .that()
          .resideInAPackage(PERSISTENCE)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(WEB)
          .as("persistence packages use no web package")
          .because("rows map to domain types; web types stay at the HTTP edge")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule domain_is_free_of_spring_web_and_r2dbc =
      noClasses()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework.web..",
              "org.springframework.http.server..",
              "org.springframework.r2dbc..",
              "org.springframework.data.r2dbc..",
              "io.r2dbc..")
          .as("domain packages use no Spring web or R2DBC type")
          .because(
              "ARCHITECTURE.md §3: web maps requests to domain values and persistence maps rows;"
                  + " move the code that needs them to the web or persistence package")
          .allowEmptyShould(true);

  /** Fails each dependency of a class whose target the predicate forbids, naming both ends. */
  private static ArchCondition<JavaClass> notDependOn(
      String what, BiPredicate<CumulusPackage, CumulusPackage> forbidden) {
    return new ArchCondition<>("not depend on " + what) {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        CumulusPackage from = CumulusPackage.of(origin);
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          if (forbidden.test(from, CumulusPackage.of(dependency.getTargetClass()))) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
