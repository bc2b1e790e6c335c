package dev.cumulus.updater.engine.domain;

/** What the engine says about itself. */
public record EngineInfo(
    String name,
    String version,
    String apiVersion,
    String os,
    String arch,
    int cpus,
    long memory) {}
