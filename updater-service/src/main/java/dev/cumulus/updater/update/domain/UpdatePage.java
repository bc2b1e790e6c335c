package dev.cumulus.updater.update.domain;

import java.util.List;

/** One page of a tenant's updates and how many match in all. */
public record UpdatePage(List<Update> items, long total) {}
