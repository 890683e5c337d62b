package dev.quota.core.internal;

import dev.quota.core.BillingGate.GateMetrics;
import dev.quota.core.Health;
import dev.quota.core.Health.Component;
import dev.quota.core.Health.Status;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.spi.Pingable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assesses a gate's {@link Health}: pings the cache and the stores (those whose ports are {@link Pingable}), each
 * on the given executor under a timeout so a hung backend cannot hang the caller, and combines the pings with the
 * gate's counters by the rules in {@link Health}. At start-up {@link #probeAtStartup()} pings once in the
 * background and logs a WARN naming each backend that does not answer (a wrong Redis port is otherwise silent:
 * checks would quietly run on SQL). Thread-safe.
 */
final class GateHealth {

    private static final Logger LOG = LoggerFactory.getLogger(GateHealth.class);

    private final Object cache;
    private final List<Pingable> stores;
    private final boolean storesConfigured;
    private final Executor executor;
    private final Duration timeout;
    private final Duration maxLag;
    private final Clock clock;

    /**
     * @param cache the cache port, or null when none is configured
     * @param stores the store ports to ping (those that are not {@link Pingable} are skipped; duplicates pinged once)
     * @param executor runs the pings
     * @param timeout how long one ping may take before it counts as failed
     * @param maxLag the age of the oldest unsettled event beyond which the usage pipeline is degraded
     * @param clock the gate's clock
     */
    GateHealth(Object cache, List<?> stores, Executor executor, Duration timeout, Duration maxLag, Clock clock) {
        this.cache = cache;
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Pingable> pingable = new ArrayList<>();
        for (Object store : stores) {
            if (store instanceof Pingable p && seen.add(store)) {
                pingable.add(p);
            }
        }
        this.stores = List.copyOf(pingable);
        this.storesConfigured = !stores.isEmpty();
        this.executor = executor;
        this.timeout = timeout;
        this.maxLag = maxLag;
        this.clock = clock;
    }

    /** Pings the cache and the stores once in the background; a backend that does not answer is logged as a WARN. */
    void probeAtStartup() {
        CompletableFuture.runAsync(() -> {
            Component c = pingCache();
            if (Thread.currentThread().isInterrupted()) {
                return; // the gate closed during the probe: no answer is not a finding
            }
            if (!c.up()) {
                LOG.warn("Quota cache does not answer at start-up ({}): checks run on the stores and records are "
                        + "stored synchronously until it does; check its host, port and credentials", c.detail());
            }
            Component s = pingStores();
            if (!s.up() && !Thread.currentThread().isInterrupted()) {
                LOG.warn("Quota stores do not answer at start-up ({}): check the database URL and that the schema "
                        + "is installed", s.detail());
            }
        }, executor);
    }

    /**
     * @param metrics the gate's counters now
     * @param lag the usage sink's lag now
     * @return the health now
     */
    Health assess(GateMetrics metrics, UnsettledUsage.Lag lag) {
        Component c = pingCache();
        Component s = pingStores();
        Status pipelineStatus = lag.oldestAge().compareTo(maxLag) > 0 ? Status.DEGRADED : Status.UP;
        Health.UsagePipeline pipeline = new Health.UsagePipeline(pipelineStatus, lag.events(), lag.oldestAge(),
                metrics.rejectedUsage(), metrics.droppedCacheWrites());
        BreakerState breaker = metrics.breakerState();
        Status overall;
        if (!s.up() || breaker == BreakerState.OPEN) {
            overall = Status.DOWN;
        } else if (!c.up() || breaker == BreakerState.HALF_OPEN || pipelineStatus != Status.UP
                || metrics.owedEvictions() > 0) {
            overall = Status.DEGRADED;
        } else {
            overall = Status.UP;
        }
        return new Health(overall, c, s, pipeline, breaker, metrics.owedEvictions(),
                Instant.ofEpochMilli(clock.millis()));
    }

    private Component pingCache() {
        if (cache == null) {
            return new Component(Status.UP, false, "not configured");
        }
        if (!(cache instanceof Pingable p)) {
            return new Component(Status.UP, false, "not probed: " + cache.getClass().getSimpleName() + " cannot ping");
        }
        return ping(List.of(p));
    }

    private Component pingStores() {
        if (!storesConfigured) {
            return new Component(Status.UP, false, "not configured");
        }
        if (stores.isEmpty()) {
            return new Component(Status.UP, false, "not probed: the stores cannot ping");
        }
        return ping(stores);
    }

    /** Pings all in parallel; the first failure (in list order) is the detail. */
    private Component ping(List<Pingable> targets) {
        List<CompletableFuture<Void>> pings = new ArrayList<>();
        for (Pingable p : targets) {
            pings.add(CompletableFuture.runAsync(p::ping, executor));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<Void> f : pings) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                pings.forEach(x -> x.cancel(true));
                return new Component(Status.DOWN, true, "no answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                return new Component(Status.DOWN, true, String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Component(Status.DOWN, true, "interrupted while waiting for a ping");
            }
        }
        return new Component(Status.UP, true, "ok");
    }
}
