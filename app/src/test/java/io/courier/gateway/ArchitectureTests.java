package io.courier.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The gateway's packages by concept: no package cycle, and the shared ones point inwards
 * only. {@code node} and {@code session} are the kernel every feature may use;
 * {@code transport}, {@code relay} and {@code history} are infrastructure that knows no
 * feature; features ({@code stomp}, {@code sse}, {@code limits}, {@code security},
 * {@code presence}, {@code orders}, …) use them, never the other way round.
 */
@AnalyzeClasses(packages = "io.courier.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String GATEWAY = "io.courier.gateway.";

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.courier.gateway.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule nodeDependsOnNoFeature = noClasses().that()
		.resideInAPackage(GATEWAY + "node..")
		.should()
		.dependOnClassesThat()
		.resideOutsideOfPackages(GATEWAY + "node..", "java..", "org..", "jakarta..", "io.micrometer..");

	@ArchTest
	static final ArchRule sessionDependsOnNodeOnly = noClasses().that()
		.resideInAPackage(GATEWAY + "session..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(feature("stomp", "sse", "limits", "security", "presence", "cluster", "control", "orders",
				"upstream", "replay", "relay", "transport", "history", "nodequeue", "dev"));

	@ArchTest
	static final ArchRule transportKnowsNoFeature = noClasses().that()
		.resideInAPackage(GATEWAY + "transport..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(feature("stomp", "sse", "limits", "security", "presence", "cluster", "control", "orders",
				"upstream", "replay", "relay", "history"));

	@ArchTest
	static final ArchRule relayKnowsNoFeature = noClasses().that()
		.resideInAPackage(GATEWAY + "relay..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(feature("stomp", "sse", "limits", "security", "presence", "cluster", "control", "orders",
				"upstream", "replay", "history", "transport", "nodequeue"));

	@ArchTest
	static final ArchRule historyKnowsNoTransport = noClasses().that()
		.resideInAPackage(GATEWAY + "history..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(feature("stomp", "sse", "replay", "orders", "limits", "transport", "relay"));

	private static String[] feature(String... names) {
		String[] packages = new String[names.length];
		for (int i = 0; i < names.length; i++) {
			packages[i] = GATEWAY + names[i] + "..";
		}
		return packages;
	}

}
