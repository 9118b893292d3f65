package com.cameloauth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies point one way: quarkus -> component -> observe/token/auth -> connection (DESIGN.md). Only main classes are
 * checked. Project packages are named in full ({@code com.cameloauth.token..}) so that third-party packages that
 * happen to be called {@code token} or {@code component} (Nimbus, Camel) are not mistaken for ours; Quarkus is
 * forbidden in every form: {@code io.quarkus..}, Camel Quarkus and our own {@code quarkus} package.
 */
@AnalyzeClasses(packages = "com.cameloauth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String CONNECTION = "com.cameloauth.connection..";
    private static final String TOKEN = "com.cameloauth.token..";
    private static final String AUTH = "com.cameloauth.auth..";
    private static final String COMPONENT = "com.cameloauth.component..";
    private static final String OBSERVE = "com.cameloauth.observe..";
    private static final String OUR_QUARKUS = "com.cameloauth.quarkus..";
    private static final String QUARKUS = "io.quarkus..";
    private static final String CAMEL_QUARKUS = "org.apache.camel.quarkus..";
    private static final String CAMEL = "org.apache.camel..";

    @ArchTest
    static final ArchRule connectionAndTokenKnowNeitherCamelNorQuarkus = noClasses()
            .that().resideInAnyPackage(CONNECTION, TOKEN)
            .should().dependOnClassesThat().resideInAnyPackage(CAMEL, QUARKUS)
            .because("definitions and the token engine are plain Java, usable without Camel and without Quarkus");

    @ArchTest
    static final ArchRule componentKnowsNoQuarkus = noClasses()
            .that().resideInAPackage(COMPONENT)
            .should().dependOnClassesThat().resideInAnyPackage(QUARKUS, CAMEL_QUARKUS, OUR_QUARKUS)
            .because("the oauth: component must work in camel-main, Spring Boot or a plain CamelContext");

    @ArchTest
    static final ArchRule observeKnowsNoQuarkus = noClasses()
            .that().resideInAPackage(OBSERVE)
            .should().dependOnClassesThat().resideInAnyPackage(QUARKUS, CAMEL_QUARKUS, OUR_QUARKUS)
            .because("events, metrics and audit must work without Quarkus")
            // observe/ does not exist yet; the rule is in force from its first class
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule connectionIsTheBottomLayer = noClasses()
            .that().resideInAPackage(CONNECTION)
            .should().dependOnClassesThat().resideInAnyPackage(TOKEN, AUTH, COMPONENT, OBSERVE, OUR_QUARKUS, QUARKUS, CAMEL_QUARKUS)
            .because("connection definitions depend on nothing of ours");

    @ArchTest
    static final ArchRule authKnowsOnlyTheConnection = noClasses()
            .that().resideInAPackage(AUTH)
            .should().dependOnClassesThat().resideInAnyPackage(CAMEL, QUARKUS, CAMEL_QUARKUS, TOKEN, COMPONENT, OBSERVE, OUR_QUARKUS)
            .because("per-request signers (OAuth 1.0a, DPoP) are plain Java over a connection's definition");

    @ArchTest
    static final ArchRule tokenDoesNotKnowTheComponent = noClasses()
            .that().resideInAPackage(TOKEN)
            .should().dependOnClassesThat().resideInAnyPackage(COMPONENT, OUR_QUARKUS, QUARKUS, CAMEL_QUARKUS)
            .because("the token engine is used by the component, never the other way round");

    @ArchTest
    static final ArchRule observeDoesNotKnowTheComponent = noClasses()
            .that().resideInAPackage(OBSERVE)
            .should().dependOnClassesThat().resideInAnyPackage(COMPONENT, OUR_QUARKUS, QUARKUS, CAMEL_QUARKUS)
            .because("observability is fed by the component, never the other way round")
            // observe/ does not exist yet; the rule is in force from its first class
            .allowEmptyShould(true);
}
