package dev.quota.core.internal;

import dev.quota.core.CheckKind;
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
}
