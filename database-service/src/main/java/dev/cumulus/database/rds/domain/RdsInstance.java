package dev.cumulus.database.rds.domain;

/** The database and role of an rdsdatabase instance; the password is sealed at rest. */
public record RdsInstance(
    String serviceId, String tenantId, String databaseName, String roleName, byte[] sealed) {}
