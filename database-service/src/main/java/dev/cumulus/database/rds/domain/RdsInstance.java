package dev.cumulus.database.rds.domain;

/**
 * The database and role of an rdsdatabase instance; the password is sealed at rest.
 *
 * @param plan the tenant's plan its limits were decided by; null while auth-service has not said
 *     (the default plan's limits apply until it does)
 * @param limits what the role may use, as last applied to it
 * @param storageExceeded whether the database is over its plan's storage limit, its role made
 *     read-only until it is under again (RdsStorageCap)
 */
public record RdsInstance(
    String serviceId,
    String tenantId,
    String databaseName,
    String roleName,
    byte[] sealed,
    String plan,
    PlanLimits limits,
    boolean storageExceeded) {}
