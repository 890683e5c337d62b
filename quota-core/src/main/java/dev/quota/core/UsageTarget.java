package dev.quota.core;

import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link BatchingUsageWriter}'s batches go: {@link UsageLedger#store} (log and counters, an outcome per
 * event) or {@link UsageLog#appendAll}. Implementations may throw on infrastructure failures; the writer retries.
 */
@FunctionalInterface
interface UsageTarget {

    /**
     * Writes one batch.
     *
     * @param events the batch, in order
     * @return the outcome of each event and how many rows were new
     */
    Written write(List<UsageEvent> events);

    /**
     * What a target did.
     *
     * @param outcomes the outcome of each event
     * @param newRows how many rows the write added
     */
    record Written(LedgerResult outcomes, int newRows) {
    }

    /**
     * @param ledger the ledger
     * @param time read when each batch is written, for the window math
     * @return a target storing log and counters with per-event outcomes
     */
    static UsageTarget ledger(UsageLedger ledger, QuotaTime time) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(time, "time");
        return events -> {
            LedgerResult r = ledger.store(events, time.now(), time.zone());
            return new Written(r, r.stored().size());
        };
    }

    /**
     * A log cannot tell which events of a batch it held already, so every event of a written batch counts as
     * stored; the new rows are the ones the log reports.
     *
     * @param log the log
     * @return a target appending to the log
     */
    static UsageTarget log(UsageLog log) {
        Objects.requireNonNull(log, "log");
        return events -> new Written(new LedgerResult(events, List.of(), List.of()), log.appendAll(events));
    }
}
