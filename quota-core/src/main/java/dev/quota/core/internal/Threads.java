package dev.quota.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for Quota's own daemon threads. */
public final class Threads {

    private Threads() {
    }

    /**
     * @param prefix the thread name prefix
     * @return a factory of named daemon threads
     */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
