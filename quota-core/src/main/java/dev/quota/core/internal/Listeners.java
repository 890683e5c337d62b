package dev.quota.core.internal;

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
}
