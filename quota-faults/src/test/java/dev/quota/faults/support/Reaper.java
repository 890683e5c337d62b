package dev.quota.faults.support;

/**
 * The clean-up of a process a test started, run by {@link #close()} or, when the JVM exits before that, by a
 * shutdown hook (the clean-up must be safe to run twice).
 */
public final class Reaper implements AutoCloseable {

    private final Runnable cleanUp;
    private final Thread hook;

    /**
     * Registers the shutdown hook.
     *
     * @param name the hook thread's name
     * @param cleanUp what stops the process and removes its files
     */
    public Reaper(String name, Runnable cleanUp) {
        this.cleanUp = cleanUp;
        this.hook = new Thread(cleanUp, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs the clean-up now and removes the hook. */
    @Override
    public void close() {
        cleanUp.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs the clean-up again, harmlessly
        }
    }
}
