package dev.quota.redis;

/** What the test support outside this package needs to know of the adapter's scripts. */
public final class TestScripts {

    private TestScripts() {
    }

    /** @return the name of the function library this version of the adapter loads on Redis 7 */
    public static String libraryName() {
        return Scripts.get().library().name();
    }
}
