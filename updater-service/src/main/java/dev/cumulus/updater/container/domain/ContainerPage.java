package dev.cumulus.updater.container.domain;

import java.util.List;

/** One page of a tenant's containers and how many match in all. */
public record ContainerPage(List<Container> items, long total) {}
