package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;

/**
 * The durable side of recording usage: appends an event to the ledger <em>and</em> applies it to every
 * stored counter it touches, in one atomic step per event, exactly once per {@link dev.quota.core.usage.UsageKey}
 * (user and request id: a request id is unique per user, the same id of two users is two requests). This keeps
 * the source of truth free of double charges when a gateway retries, and free of lost counter updates
 * when the store fails half-way (the whole step is retried).
 *
 * <p>Applying an event: balance mode deducts {@link dev.quota.core.UsageCosts#actual() costs().actual()} from the user's balance
 * (creating it at zero first when absent) and adds it to the user × platform windows when a platform is
 * given; subscription mode adds it to the subscription's rolling windows (when the subscription exists);
 * both add it to the API key's windows when a key is given (the 5 h / 1 d / 7 d spend, and the input + output
 * tokens of the current minute), and with a key and a model to the key's windows on that model; the gate reads
 * those back with {@link WindowCounterStore#findKeyUsage} and {@link WindowCounterStore#findKeyModelUsage} (a
 * ledger keeps them as one record per key and per key × model, or as the named counters {@link #keyCounter},
 * {@link #keyTokensCounter}, {@link #keyModelCounter} those methods read by default);
 * {@link dev.quota.core.BillingMode#NONE} (logged only) stores the event for the roll-ups and statistics
 * and moves no counter at all.
 * Windows are computed from {@code now} and {@code zone}. Failures are reported as
 * {@link BackendUnavailableException}, with nothing applied. Thread-safe.
 */
public interface UsageLedger {

    /**
     * The {@link WindowCounterStore} counter name of an API key window in the named-counter layout, e.g.
     * {@code apikey:42:5h} (read by the default {@link WindowCounterStore#findKeyUsage}; the SQL adapter keeps a
     * key's windows in one row since schema version 7 and its migration moved these counters there).
     *
     * @param apiKeyId the key
     * @param window the key window
     * @return the counter name
     */
    static String keyCounter(long apiKeyId, dev.quota.core.limit.KeyWindow window) {
        return "apikey:" + apiKeyId + ":" + window.label();
    }

    /**
     * The {@link WindowCounterStore} counter of an API key's tokens per minute in the named-counter layout
     * ({@code apikey:42:tpm}, see {@link #keyCounter}): the input
     * + output tokens ({@link dev.quota.core.limit.KeyUsage#countedTokens}) of the key's events, in the
     * epoch-aligned minute {@link dev.quota.core.limit.QuotaWindows#TPM}; added only for events with tokens.
     *
     * @param apiKeyId the key
     * @return the counter name
     */
    static String keyTokensCounter(long apiKeyId) {
        return "apikey:" + apiKeyId + ":tpm";
    }

    /**
     * The {@link WindowCounterStore} counter name of an API key window on one model in the named-counter layout
     * (see {@link #keyCounter}; read by the default {@link WindowCounterStore#findKeyModelUsage}) (a model cap,
     * {@link dev.quota.core.CheckRequest#modelCap()}), e.g. {@code apikey:42:model:claude-sonnet-4:5h}: the cost of
     * the key's events whose {@link dev.quota.core.UsageEvent#model() model} is exactly {@code model}. At most
     * 164 characters (a model is at most {@link dev.quota.core.UsageEvent#MAX_MODEL_LENGTH}), and unique: the
     * window is the name's last label, the model everything between {@code :model:} and it.
     *
     * @param apiKeyId the key
     * @param model the model
     * @param window the key window
     * @return the counter name
     */
    static String keyModelCounter(long apiKeyId, String model, dev.quota.core.limit.KeyWindow window) {
        return "apikey:" + apiKeyId + ":model:" + model + ":" + window.label();
    }

    /**
     * @param event the event
     * @param now the current instant (from the service's clock)
     * @param zone the business zone
     * @return true when applied, false when its key (user, request id) was already in the ledger (or, for a
     *         ledger that rejects data, when the event was refused and moved to the dead letters)
     */
    boolean apply(UsageEvent event, Instant now, ZoneId zone);

    /**
     * Applies a batch; events whose key is already in the ledger (or repeated within the batch) are skipped.
     *
     * @param events the events
     * @param now the current instant
     * @param zone the business zone
     * @return how many were newly applied
     */
    int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone);

    /**
     * Stores a batch and says what happened to each event: newly stored, a duplicate of a stored key
     * ({@link dev.quota.core.usage.UsageKey}: user and request id), or rejected as data (an event the database
     * refuses; it is moved to the dead letters with the error and never blocks the rest of the batch). Only an
     * infrastructure failure throws, and then nothing of the batch is stored. An event repeated within the batch
     * is decided by its first occurrence; the later ones are reported as duplicates.
     * <p>The default implementation applies the events one at a time with {@link #apply} and never rejects;
     * ledgers that can batch override it.
     * @param events the events, not null, no nulls
     * @param now the current instant (from the service's clock)
     * @param zone the business zone
     * @return the outcome of every event
     * @throws BackendUnavailableException when the store fails (nothing of the batch is stored)
     */
    default LedgerResult store(java.util.List<UsageEvent> events, Instant now, ZoneId zone) {
        java.util.List<UsageEvent> stored = new java.util.ArrayList<>();
        java.util.List<UsageEvent> duplicates = new java.util.ArrayList<>();
        for (UsageEvent e : events) {
            (apply(e, now, zone) ? stored : duplicates).add(e);
        }
        return new LedgerResult(stored, duplicates, java.util.List.of());
    }
}
