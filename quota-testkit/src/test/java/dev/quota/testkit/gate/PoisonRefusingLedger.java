package dev.quota.testkit.gate;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A ledger that refuses events whose model is {@code poison} as data, as a database would a NUL. */
final class PoisonRefusingLedger implements UsageLedger {
    private final UsageLedger delegate;

    PoisonRefusingLedger(UsageLedger delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        if ("poison".equals(event.model())) {
            throw new BackendUnavailableException("model refused");
        }
        return delegate.apply(event, now, zone);
    }

    @Override
    public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        int n = 0;
        for (UsageEvent e : events) {
            n += apply(e, now, zone) ? 1 : 0;
        }
        return n;
    }

    @Override
    public LedgerResult store(List<UsageEvent> events, Instant now, ZoneId zone) {
        List<UsageEvent> fine = new ArrayList<>();
        List<LedgerResult.RejectedUsage> refused = new ArrayList<>();
        for (UsageEvent e : events) {
            if ("poison".equals(e.model())) {
                refused.add(new LedgerResult.RejectedUsage(e, "model refused"));
            } else {
                fine.add(e);
            }
        }
        LedgerResult r = delegate.store(fine, now, zone);
        return new LedgerResult(r.stored(), r.duplicates(), refused);
    }
}
