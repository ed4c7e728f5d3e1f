package io.courier.admin.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

import io.courier.admin.cluster.ClusterProperties;
import io.courier.admin.live.LiveUpdates;

/**
 * Every change an operator makes, appended as a JSON line to
 * {@link AuditProperties#file()} (and logged under {@code io.courier.admin.audit}); the
 * newest {@link ClusterProperties#history()} entries are kept in memory for the pages and
 * read back from the file at start.
 */
@Component
public class AuditLog {

	private static final Log logger = LogFactory.getLog(AuditLog.class);

	private final Path file;

	private final ObjectMapper mapper;

	private final LiveUpdates live;

	private final int size;

	private final Deque<AuditEntry> entries = new ArrayDeque<>();

	AuditLog(AuditProperties properties, ClusterProperties cluster, ObjectMapper mapper, LiveUpdates live) {
		this.file = properties.file();
		this.mapper = mapper;
		this.live = live;
		this.size = cluster.history();
		load();
	}

	public void record(String operator, String action, String target, String outcome) {
		AuditEntry entry = new AuditEntry(Instant.now(), operator, action, target, outcome);
		logger.info(operator + " " + action + " " + target + ": " + outcome);
		synchronized (this.entries) {
			try {
				Files.writeString(this.file, this.mapper.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not append to the audit log " + this.file.toAbsolutePath()
						+ " (courier.admin.audit.file)", ex);
			}
			add(entry);
		}
		this.live.changed(LiveUpdates.AUDIT);
	}

	/** Newest first. */
	public List<AuditEntry> entries() {
		synchronized (this.entries) {
			List<AuditEntry> list = new ArrayList<>(this.entries);
			Collections.reverse(list);
			return list;
		}
	}

	private void add(AuditEntry entry) {
		this.entries.addLast(entry);
		while (this.entries.size() > this.size) {
			this.entries.removeFirst();
		}
	}

	private void load() {
		try {
			Path parent = this.file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			if (!Files.exists(this.file)) {
				return;
			}
			for (String line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
				if (!line.isBlank()) {
					try {
						add(this.mapper.readValue(line, AuditEntry.class));
					}
					catch (JacksonException ex) {
						logger.warn("Skipping an unreadable line of " + this.file + ": " + ex.getMessage());
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not read the audit log " + this.file.toAbsolutePath() + " (courier.admin.audit.file)", ex);
		}
	}

}
