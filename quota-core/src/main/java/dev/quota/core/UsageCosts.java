package dev.quota.core;

/**
 * The costs of one request ({@link UsageEvent#costs()}), none negative in a built event.
 *
 * @param total list-price cost
 * @param actual charged cost (after group rate multipliers): what balances and windows count
 * @param input input part of the cost
 * @param output output part of the cost
 * @param cacheCreation cache-creation part of the cost
 * @param cacheRead cache-read part of the cost
 */
public record UsageCosts(Money total, Money actual, Money input, Money output, Money cacheCreation,
                         Money cacheRead) {
}
