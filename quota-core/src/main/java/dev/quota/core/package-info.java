/**
 * Everything a gateway touches, in one package: the gate {@link dev.quota.core.BillingGate} (check, record,
 * reserve / settle / release / renew) with its builder and {@link dev.quota.core.QuotaTime}; the request
 * ({@link dev.quota.core.CheckRequest}, {@link dev.quota.core.KeyLimits}, {@link dev.quota.core.Limit}); the
 * outcome ({@link dev.quota.core.Decision}, {@link dev.quota.core.DenyReason}); exact money
 * ({@link dev.quota.core.Money}); the usage to record ({@link dev.quota.core.UsageEvent},
 * {@link dev.quota.core.BillingMode}); the exceptions for misuse and outages
 * ({@link dev.quota.core.QuotaException} and its subtypes); the admin operations and health.
 * <p>
 * The ports a store or cache implements live in {@code dev.quota.core.spi}; the other sub-packages hold the
 * domain the gate is built from (windows, limits' evaluation, cache entry codecs, statistics, account usage);
 * {@code dev.quota.core.internal} is not supported API.
 */
package dev.quota.core;
