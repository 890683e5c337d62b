package dev.quota.redis.contract;

import dev.quota.redis.support.RedisTarget;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Opens one {@link RedisTarget} before a backend class of {@link RedisContractsSuite} and closes it afterwards;
 * register it as a static field of that class. Opening fails (never skips) when a configured server is down.
 */
final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<RedisTarget> opener;
    private RedisTarget target;

    private RedisServer(Supplier<RedisTarget> opener) {
        this.opener = opener;
    }

    static RedisServer of(Supplier<RedisTarget> opener) {
        return new RedisServer(opener);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getTestClass().filter(c -> c.getEnclosingClass() == null).isPresent()) {
            target = opener.get();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (target != null && context.getTestClass().filter(c -> c.getEnclosingClass() == null).isPresent()) {
            target.close();
            target = null;
        }
    }

    RedisTarget get() {
        if (target == null) {
            throw new IllegalStateException("the Redis target is not open");
        }
        return target;
    }
}
