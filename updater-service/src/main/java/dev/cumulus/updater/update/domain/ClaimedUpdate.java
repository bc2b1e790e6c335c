package dev.cumulus.updater.update.domain;

import java.time.Instant;

/** An update this instance claimed, and until when its lease keeps other instances off it. */
public record ClaimedUpdate(Update update, Instant leaseUntil) {}
