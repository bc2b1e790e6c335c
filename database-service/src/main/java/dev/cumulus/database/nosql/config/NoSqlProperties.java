package dev.cumulus.database.nosql.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * NoSQL settings ({@code cumulus.nosql.*}).
 *
 * @param ttlSweepInterval how often expired items are deleted (they are hidden at once)
 * @param ttlSweepBatch the most expired items deleted in one transaction
 * @param burstCapacity how much unused provisioned throughput a table keeps for bursts
 * @param streamRetention how long stream records are kept (DynamoDB Streams: 24 hours)
 * @param schemaCacheTtl how long a replica reuses a table definition it read for item reads
 *     (another replica's table change reaches its reads that late; writes always check)
 */
@ConfigurationProperties("cumulus.nosql")
public record NoSqlProperties(
    @DefaultValue("10s") Duration ttlSweepInterval,
    @DefaultValue("500") int ttlSweepBatch,
    @DefaultValue("300s") Duration burstCapacity,
    @DefaultValue("24h") Duration streamRetention,
    @DefaultValue("1s") Duration schemaCacheTtl) {}
