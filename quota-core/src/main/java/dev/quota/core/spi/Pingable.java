package dev.quota.core.spi;

/**
 * A port whose backend can be probed: one cheap round trip that proves the backend answers (a Redis
 * {@code PING}; for SQL a query of one Quota table, so a missing schema shows too). The billing gate pings its
 * cache and stores when it is built (a failure is logged as a WARN) and on every
 * {@link dev.quota.core.BillingGate#health()}. Ports that do not implement it are reported as not probed.
 *
 * <p>Implementations are thread-safe, change nothing and hold no state of their own.
 */
@FunctionalInterface
public interface Pingable {

    /**
     * Probes the backend once.
     *
     * @throws dev.quota.core.BackendUnavailableException when the backend does not answer as expected
     */
    void ping();
}
