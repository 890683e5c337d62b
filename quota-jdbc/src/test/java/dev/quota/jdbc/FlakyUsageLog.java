package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a log: the first {@code failures} calls of {@link #appendAll} throw {@link BackendUnavailableException}
 * (after running {@code beforeCall}, if any), later calls delegate.
 */
final class FlakyUsageLog implements UsageLog {

    interface BeforeCall {
        void run(int call);
    }

    private final UsageLog delegate;
    private final int failures;
    private final BeforeCall beforeCall;
    final AtomicInteger calls = new AtomicInteger();

    FlakyUsageLog(UsageLog delegate, int failures) {
        this(delegate, failures, call -> { });
    }

    FlakyUsageLog(UsageLog delegate, int failures, BeforeCall beforeCall) {
        this.delegate = delegate;
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
        return delegate.appendAll(events);
    }

    @Override
    public Optional<UsageEvent> find(UsageKey key) {
        return delegate.find(key);
    }

    @Override
    public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
        return delegate.list(filter, page);
    }

    @Override
    public UsageTotals totals(UsageFilter filter) {
        return delegate.totals(filter);
    }
}
