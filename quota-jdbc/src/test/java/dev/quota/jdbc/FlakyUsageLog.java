package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.ForwardingUsageLog;
import dev.quota.core.UsageEvent;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a log: the first {@code failures} calls of {@link #appendAll} throw {@link BackendUnavailableException}
 * (after running {@code beforeCall}, if any), later calls delegate.
 */
final class FlakyUsageLog extends ForwardingUsageLog {

    interface BeforeCall {
        void run(int call);
    }

    private final int failures;
    private final BeforeCall beforeCall;
    final AtomicInteger calls = new AtomicInteger();

    FlakyUsageLog(UsageLog delegate, int failures) {
        this(delegate, failures, call -> { });
    }

    FlakyUsageLog(UsageLog delegate, int failures, BeforeCall beforeCall) {
        super(delegate);
        this.failures = failures;
        this.beforeCall = beforeCall;
    }

    @Override
    public boolean append(UsageEvent event) {
        throw new UnsupportedOperationException("the writer only uses appendAll");
    }

    @Override
    public int appendAll(Collection<UsageEvent> events) {
        int call = calls.incrementAndGet();
        beforeCall.run(call);
        if (call <= failures) {
            throw new BackendUnavailableException("simulated outage, call " + call);
        }
        return super.appendAll(events);
    }
}
