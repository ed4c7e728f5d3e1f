package io.courier.gateway.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ERROR table of docs/CLIENT-PROTOCOL.md and {@link ClientError} are the same set:
 * every text a client can read is documented, and every documented one exists. Each row's
 * first column holds one or more {@code `text[: detail]`} forms.
 */
class ClientErrorContractTests {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	@Test
	void theProtocolDocsErrorTableListsExactlyTheClientErrors() throws IOException {
		Set<String> documented = new TreeSet<>();
		for (String row : errorTableRows()) {
			String firstColumn = row.substring(1, row.indexOf('|', 1));
			Matcher code = CODE.matcher(firstColumn);
			while (code.find()) {
				documented.add(prefix(code.group(1)));
			}
		}
		Set<String> contract = Arrays.stream(ClientError.values())
			.map(ClientError::text)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(documented).isEqualTo(contract);
	}

	@Test
	void aMessageReadsAsTheReasonWhoseTextItIsOrStartsWithBeforeAColon() {
		assertThat(ClientError.of("token expired")).isEqualTo(ClientError.EXPIRED_TOKEN);
		assertThat(ClientError.of("token expired while connected")).isEqualTo(ClientError.SESSION_EXPIRED);
		assertThat(ClientError.of(ClientError.BROKER_UNAVAILABLE.text("Broker not available.")))
			.isEqualTo(ClientError.BROKER_UNAVAILABLE);
		assertThat(ClientError.of("Broker not available.")).as("a relay's own wording is no contract text").isNull();
		assertThat(ClientError.of("not connectedness")).isNull();
	}

	/**
	 * {@code forbidden destination: <destination> (<reason>)} →
	 * {@code forbidden destination}.
	 */
	private static String prefix(String form) {
		int colon = form.indexOf(':');
		String text = (colon >= 0) ? form.substring(0, colon) : form;
		int detail = text.indexOf(" (");
		return ((detail >= 0) ? text.substring(0, detail) : text).strip();
	}

	private static List<String> errorTableRows() throws IOException {
		List<String> lines = Files.readAllLines(readme());
		int heading = lines.indexOf("### ERROR frames");
		assertThat(heading).as("docs/CLIENT-PROTOCOL.md has a section '### ERROR frames'").isNotNegative();
		List<String> rows = lines.subList(heading + 1, lines.size())
			.stream()
			.dropWhile((line) -> !line.startsWith("|"))
			.takeWhile((line) -> line.startsWith("|"))
			.skip(2) // header and separator
			.toList();
		assertThat(rows).isNotEmpty();
		return rows;
	}

	/** docs/CLIENT-PROTOCOL.md, where README's client contract points. */
	private static Path readme() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path doc = dir.resolve("docs").resolve("CLIENT-PROTOCOL.md");
			if (Files.isRegularFile(doc) && Files.isDirectory(dir.resolve("app"))) {
				return doc;
			}
		}
		throw new IllegalStateException("docs/CLIENT-PROTOCOL.md not found above " + Path.of("").toAbsolutePath());
	}

}
