package dev.cumulus.integration.webhook.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound webhook delivery ({@code cumulus.integration.webhooks.*}).
 *
 * @param timeout the whole attempt, connect to last response byte
 * @param retryDelays the wait after each failed attempt; when they run out the delivery fails
 * @param jitter the random share (0..1) added to or taken from each delay, so retries spread out
 * @param maxRetryAfter the longest {@code Retry-After} honoured (longer ones are capped)
 * @param disableAfter an endpoint failing without a success for this long is disabled
 * @param secretOverlap how long the previous secret still signs after a rotation, by default
 * @param maxInFlight deliveries sent at the same time by one node: a bound on its memory and
 *     sockets (an attempt waiting for its answer costs no thread), large enough that endpoints at
 *     their per-endpoint limit do not use it up
 * @param perEndpointInFlight deliveries to one endpoint at the same time, over all nodes: each
 *     endpoint is a lane of its own, so a slow endpoint holds up only its own deliveries
 * @param lease how long a claimed delivery is hidden from other workers: a node that dies
 *     mid-delivery leaves it due again after this (at-least-once, same webhook-id)
 * @param pollInterval how often due deliveries are looked for (new ones wake the worker at once)
 * @param maxRedirects redirects followed, each checked against the address policy
 * @param excerptBytes how much of each response body the attempt log keeps
 */
@ConfigurationProperties("cumulus.integration.webhooks")
public record WebhookProperties(
    @DefaultValue("15s") Duration timeout,
    @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retryDelays,
    @DefaultValue("0.2") double jitter,
    @DefaultValue("1d") Duration maxRetryAfter,
    @DefaultValue("5d") Duration disableAfter,
    @DefaultValue("24h") Duration secretOverlap,
    @DefaultValue("512") int maxInFlight,
    @DefaultValue("8") int perEndpointInFlight,
    @DefaultValue("60s") Duration lease,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("3") int maxRedirects,
    @DefaultValue("1024") int excerptBytes) {}
