/**
 * Typed success envelopes of the seed families that wrap their answers (002, 003, 004); seeds 000
 * (DockSaaS) and 001 (EventFlow) answer with the resource itself. The error side of every family is
 * {@link dev.cumulus.platform.error.ApiFamily}. Jackson writes record components in declaration
 * order, which is each seed's key order.
 */
package dev.cumulus.platform.web.envelope;
