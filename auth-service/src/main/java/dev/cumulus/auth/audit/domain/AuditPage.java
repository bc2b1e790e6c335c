package dev.cumulus.auth.audit.domain;

import java.util.List;

/** A page of audit entries and where the next one starts (null: this was the last). */
public record AuditPage(List<AuditEntry> entries, AuditCursor next) {}
