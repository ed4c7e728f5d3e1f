package io.courier.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/CONFIGURATION.md names every {@code courier.*} property the gateway binds, as the
 * build's Spring Boot configuration metadata lists them. A list or map property counts as
 * named by its own name (its elements, e.g. {@code courier.security.rules[0].claim}, are
 * described with it).
 */
class ConfigurationDocsTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void theConfigurationDocNamesEveryCourierProperty() throws IOException {
		String doc = Files.readString(configurationDoc());
		List<String> properties = courierProperties();
		assertThat(properties).as("courier.* properties in " + METADATA).isNotEmpty();
		List<String> missing = properties.stream().filter((name) -> !named(doc, name)).toList();
		assertThat(missing).as("courier.* properties docs/CONFIGURATION.md does not name").isEmpty();
	}

	/**
	 * The name as a whole word: not the tail of a longer name, nor its head unless an
	 * element or key follows.
	 */
	private static boolean named(String doc, String name) {
		return Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w-])").matcher(doc).find();
	}

	private static List<String> courierProperties() throws IOException {
		try (InputStream metadata = ConfigurationDocsTests.class.getClassLoader().getResourceAsStream(METADATA)) {
			assertThat(metadata).as(METADATA + " on the classpath (spring-boot-configuration-processor)").isNotNull();
			JsonNode properties = JsonMapper.builder().build().readTree(metadata).get("properties");
			return properties.valueStream()
				.map((property) -> property.get("name").asString())
				.filter((name) -> name.startsWith("courier."))
				.sorted()
				.toList();
		}
	}

	/** docs/CONFIGURATION.md of the repository this test runs in. */
	private static Path configurationDoc() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path doc = dir.resolve("docs").resolve("CONFIGURATION.md");
			if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("app"))) {
				assertThat(doc).as("docs/CONFIGURATION.md in " + dir).isRegularFile();
				return doc;
			}
		}
		throw new IllegalStateException("no directory with docs/ and app/ above " + Path.of("").toAbsolutePath());
	}

}
