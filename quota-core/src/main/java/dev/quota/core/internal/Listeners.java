package dev.quota.core.internal;

import dev.quota.core.CheckKind;
import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import dev.quota.core.QuotaListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs listener callbacks so that a throwing listener never breaks a check. */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /**
     * @param callback the callback to run
     */
    public static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("quota listener threw; ignored", e);
        }
    }

    /**
     * Tells {@code listener} that a check fell back (see {@link QuotaListener#onFallback}), safely.
     *
     * @param listener the listener
     * @param kind the check that fell back
     * @param cause why
     */
    public static void fallback(QuotaListener listener, CheckKind kind, Throwable cause) {
        safely(() -> listener.onFallback(kind, cause));
    }

    /**
     * Tells {@code listener} that a check found an entry in the cache (or, with {@code hit} false, that it did
     * not: {@link QuotaListener#onCacheHit}, {@link QuotaListener#onCacheMiss}), safely. Called for every entry
     * of every check, so it runs the callback in place rather than through a {@link Runnable}, which would cost
     * an object per call.
     *
     * @param listener the listener
     * @param kind the check whose entry it is
     * @param hit true for a hit, false for a miss
     */
    public static void cacheLookup(QuotaListener listener, CheckKind kind, boolean hit) {
        try {
            if (hit) {
                listener.onCacheHit(kind);
            } else {
                listener.onCacheMiss(kind);
            }
        } catch (RuntimeException e) {
            LOG.warn("quota listener threw; ignored", e);
        }
    }

    /**
     * Tells {@code listener} a check's decision ({@link QuotaListener#onDecision}), safely. Called for every
     * check, so it runs the callback in place, as {@link #cacheLookup} does.
     *
     * @param listener the listener
     * @param request the request checked
     * @param decision its decision
     */
    public static void decision(QuotaListener listener, CheckRequest request, Decision decision) {
        try {
            listener.onDecision(request, decision);
        } catch (RuntimeException e) {
            LOG.warn("quota listener threw; ignored", e);
        }
    }
}
