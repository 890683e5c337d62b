package dev.quota.testkit;

import dev.quota.core.UsageEvent;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageTotals;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UsageLog} that hands every call to another one: extend it and override only the calls a test makes
 * fail, count or block.
 */
public abstract class ForwardingUsageLog implements UsageLog {

    private final UsageLog delegate;

    /**
     * @param delegate the log every call goes to
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingUsageLog(UsageLog delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the log every call goes to */
    protected final UsageLog delegate() {
        return delegate;
    }

    @Override
    public boolean append(UsageEvent event) {
        return delegate.append(event);
    }

    @Override
    public int appendAll(Collection<UsageEvent> events) {
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
