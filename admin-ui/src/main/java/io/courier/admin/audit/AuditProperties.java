package io.courier.admin.audit;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the audit log is kept.
 *
 * @param file a file of JSON lines, appended to, read back (the newest entries) at start
 */
@Validated
@ConfigurationProperties("courier.admin.audit")
public record AuditProperties(@DefaultValue("data/console/audit.log") @NotNull Path file) {
}
