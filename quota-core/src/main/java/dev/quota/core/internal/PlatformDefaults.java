package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.spi.PlatformQuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user × platform quota defaults a gate applies: those stored in the {@link PlatformQuotaStore}
 * ({@link PlatformQuotaStore#defaults()}), else (no store, or the store holds {@link PlatformQuotaDefaults#NONE})
 * the configured copy. Loads run on the gate's loader threads: the first caller waits for the first load (at
 * most the load timeout; it is on a store read already); afterwards they are reloaded every {@code refresh} on
 * the injected clock while callers keep the last value; a failed load keeps the last value, logs, and is tried
 * again after {@code refresh}. {@link #replace} stores and applies new defaults at once.
 * Thread-safe.
 */
final class PlatformDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformDefaults.class);

    private final PlatformQuotaStore store;
    private final PlatformQuotaDefaults configured;
    private final Duration refresh;
    private final Duration firstLoadWait;
    private final Clock clock;
    private final Executor loaders;
    private final Object lock = new Object();
    private volatile PlatformQuotaDefaults current;
    /** When the last load was tried; null before the first. */
    private volatile Instant loadedAt;
    /** The background reload in flight, else a completed future; guarded by {@link #lock}. */
    private CompletableFuture<Void> reload = CompletableFuture.completedFuture(null);
    /** Bumped by {@link #replace}; guarded by {@link #lock}. */
    private long generation;

    /**
     * @param store the store, or null to apply {@code configured} only
     * @param configured the builder's copy
     * @param refresh how often the stored defaults are read again
     * @param firstLoadWait how long the first caller waits for the first load (then the configured copy applies
     *     until it completes)
     * @param clock the gate's clock
     * @param loaders runs the loads
     */
    PlatformDefaults(PlatformQuotaStore store, PlatformQuotaDefaults configured, Duration refresh,
                     Duration firstLoadWait, Clock clock, Executor loaders) {
        this.store = store;
        this.configured = configured;
        this.refresh = refresh;
        this.firstLoadWait = firstLoadWait;
        this.clock = clock;
        this.loaders = loaders;
        this.current = configured;
    }

    /** @return the defaults to apply now */
    PlatformQuotaDefaults get() {
        if (store == null) {
            return current;
        }
        Instant now = clock.instant();
        Instant at = loadedAt;
        if (at == null) {
            await(startLoad(now), firstLoadWait);
        } else if (!now.isBefore(at.plus(refresh))) {
            startLoad(now);
        }
        return current;
    }

    /** Starts a load unless one is running or the last began less than {@code refresh} ago. */
    private CompletableFuture<Void> startLoad(Instant now) {
        synchronized (lock) {
            if (!reload.isDone() || loadedAt != null && now.isBefore(loadedAt.plus(refresh))) {
                return reload;
            }
            loadedAt = now; // one load per interval, also when it fails
            long generationAtStart = generation;
            try {
                reload = CompletableFuture.runAsync(() -> load(generationAtStart), loaders);
            } catch (RejectedExecutionException e) {
                LOG.warn("platform quota defaults not reloaded (gate closing): {}", e.toString());
            }
            return reload;
        }
    }

    private void load(long generationAtStart) {
        try {
            PlatformQuotaDefaults loaded = effective(store.defaults());
            synchronized (lock) {
                if (generation == generationAtStart) { // else replaced meanwhile: the replacement is newer
                    current = loaded;
                }
            }
        } catch (BackendUnavailableException e) {
            LOG.warn("platform quota defaults could not be loaded; keeping the last ones: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("platform quota defaults could not be loaded; keeping the last ones", e);
        }
    }

    /**
     * Stores new defaults (when a store is configured) and applies them at once.
     *
     * @param defaults the new defaults
     * @throws BackendUnavailableException when the store fails; nothing changed then
     */
    void replace(PlatformQuotaDefaults defaults) {
        if (store != null) {
            store.replaceDefaults(defaults);
        }
        synchronized (lock) {
            generation++;
            current = effective(defaults);
            loadedAt = clock.instant();
        }
    }

    /**
     * Waits (at most {@code timeout}) for a background reload in flight.
     *
     * @param timeout the bound
     */
    void awaitReload(Duration timeout) {
        CompletableFuture<Void> inFlight;
        synchronized (lock) {
            inFlight = reload;
        }
        await(inFlight, timeout);
    }

    private static void await(CompletableFuture<Void> inFlight, Duration timeout) {
        try {
            inFlight.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.debug("platform quota defaults reload still running or failed: {}", e.toString());
        }
    }

    private PlatformQuotaDefaults effective(PlatformQuotaDefaults stored) {
        return stored == null || stored.equals(PlatformQuotaDefaults.NONE) ? configured : stored;
    }
}
