package dev.cumulus.updater.engine.domain;

/**
 * One sample of a container's resource use.
 *
 * @param cpuPercent of one host, over the engine's sampling window
 * @param memoryLimit 0 when unlimited
 */
public record EngineStats(
    double cpuPercent,
    long memoryUsage,
    long memoryLimit,
    long networkRx,
    long networkTx,
    long blockRead,
    long blockWrite,
    long pids) {}
