package dev.cumulus.database.nosql.domain;

/**
 * A StreamSpecification of CreateTable or UpdateTable.
 *
 * @param viewType KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES when enabled, else null
 */
public record StreamSetting(boolean enabled, String viewType) {}
