package com.portaone.nsps.hubspot;

import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the package graph as ARCHITECTURE.md draws it: the inbound web layer on top, the
 * sync engine between it and the HubSpot client, the event model beside them, the Redis
 * adapters beside the interfaces of both they implement, tracing on its own, metrics and
 * logging at the bottom; no cycles; and a type public only if another package uses it.
 */
class PackageStructureTest {

	private static final String ROOT = "com.portaone.nsps.hubspot";

	/** Which of the project's packages each package may use. */
	private static final Map<String, Set<String>> ALLOWED = Map.of("inbound",
			Set.of("event", "sync", "metrics", "logging"), "sync", Set.of("event", "client", "metrics", "logging"),
			"client", Set.of("metrics", "logging"), "redis", Set.of("sync", "client"), "tracing", Set.of(), "event",
			Set.of(), "metrics", Set.of(), "logging", Set.of(), "", Set.of());

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void packagesUseOnlyThePackagesBelowThem() {
		classes().should(useOnlyAllowedPackages()).check(MAIN);
	}

	@Test
	void packagesFormNoCycles() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void publicTypesAreUsedByAnotherPackage() {
		classes().that()
			.haveModifier(JavaModifier.PUBLIC)
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("ConnectorApplication")
			.and()
			.doNotHaveSimpleName("package-info")
			.should(beUsedFromAnotherPackage())
			.check(MAIN);
	}

	private static String packageOf(JavaClass type) {
		String name = type.getPackageName();
		if (name.equals(ROOT)) {
			return "";
		}
		String rest = name.substring(ROOT.length() + 1);
		int dot = rest.indexOf('.');
		return (dot < 0) ? rest : rest.substring(0, dot);
	}

	private static boolean isOurs(JavaClass type) {
		return type.getPackageName().equals(ROOT) || type.getPackageName().startsWith(ROOT + ".");
	}

	private static ArchCondition<JavaClass> useOnlyAllowedPackages() {
		return new ArchCondition<>("use only the packages allowed to them") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				String from = packageOf(type);
				for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
					JavaClass target = dependency.getTargetClass().getBaseComponentType();
					if (!isOurs(target)) {
						continue;
					}
					String to = packageOf(target);
					if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}

		};
	}

	private static ArchCondition<JavaClass> beUsedFromAnotherPackage() {
		return new ArchCondition<>("be used from another package (else package-private)") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				boolean used = type.getDirectDependenciesToSelf()
					.stream()
					.map((dependency) -> dependency.getOriginClass())
					.anyMatch((origin) -> isOurs(origin) && !origin.getPackageName().equals(type.getPackageName()));
				if (!used) {
					events.add(SimpleConditionEvent.violated(type,
							type.getName() + " is public but no other package uses it"));
				}
			}

		};
	}

}
