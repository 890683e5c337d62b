package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.UsageEvent;

/**
 * Where recorded usage goes to be stored durably, typically a bounded, batching writer in front of a
 * {@link UsageLedger}. Thread-safe.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>{@link #reserve()} takes a place in the sink's buffer <em>before</em> anything else is changed. It may
 *       block while the buffer is full (up to the sink's configured maximum wait) and throws
 *       {@link BackendUnavailableException} when no place could be had: then nothing was taken.</li>
 *   <li>The caller then does its other work (the billing gate applies the usage to the cache) and either
 *       {@linkplain Slot#submit hands the event over} asynchronously (never blocks, never fails),
 *       {@linkplain Slot#store stores it synchronously} (group commit: returns once the transaction holding it
 *       committed), or {@linkplain Slot#cancel gives the place back}.</li>
 *   <li>The sink reports each event's fate through its {@link Progress}: {@link Progress#committing()} before
 *       the ledger transaction that may store it begins (from then on a store read may see it), and
 *       {@link Progress#settled(Outcome)} once the sink is done with it: {@link Outcome#STORED},
 *       {@link Outcome#DUPLICATE} (the ledger already held its {@link dev.quota.core.usage.UsageKey}),
 *       {@link Outcome#REJECTED} (refused as data and moved to the dead letters; the error is told first
 *       through {@link Progress#rejected(String)}) or {@link Outcome#ABANDONED} (given up: not stored by this
 *       sink, and this sink never tries it again).</li>
 * </ol>
 *
 * <h2>Guarantees and windows</h2>
 * An event handed over with {@link Slot#submit} is held in process memory until its batch commits: a crash of
 * the process in that window loses this copy (the billing gate keeps a second one in the cache's
 * {@link UsageOutbox} for that window). An event given to {@link Slot#store} or {@link #store} is committed (or
 * found a duplicate, or rejected) when the call returns; when the call throws, the sink never stores it. Only
 * infrastructure failures ({@link BackendUnavailableException}) are retried; one event's bad data never holds
 * up, delays or drops another's.
 */
public interface UsageSink extends AutoCloseable {

    /** What became of one event. */
    enum Outcome {
        /** Newly stored, its counters moved in the same transaction. */
        STORED,
        /** The ledger already held its key (user, request id): nothing changed. */
        DUPLICATE,
        /** Refused as data (moved to the dead letters with the error): never retried. */
        REJECTED,
        /** Given up by this sink (close timeout, or a failed synchronous store): this sink never stores it. */
        ABANDONED
    }

    /**
     * Told about one event's way to the store. Each method is called at most once, {@code committing} (when at
     * all) before {@code settled}, on whatever thread the sink uses; implementations must be quick and must
     * not throw.
     */
    interface Progress {

        /** Progress nobody listens to. */
        Progress NONE = outcome -> { };

        /** A ledger transaction that may store the event is about to begin. */
        default void committing() {
        }

        /**
         * The store refused the event as data; called just before {@code settled(REJECTED)}.
         *
         * @param error the store's error message
         */
        default void rejected(String error) {
        }

        /**
         * The sink is done with the event.
         *
         * @param outcome what became of it
         */
        void settled(Outcome outcome);

        /**
         * Settles this progress with what a ledger answered for one event: stored, rejected (with its error) or a
         * duplicate.
         *
         * @param result the ledger's answer to a batch of that one event
         * @return the outcome settled
         */
        default Outcome settledBy(LedgerResult result) {
            Outcome outcome;
            if (!result.stored().isEmpty()) {
                outcome = Outcome.STORED;
            } else if (!result.rejected().isEmpty()) {
                outcome = Outcome.REJECTED;
                rejected(result.rejected().get(0).error());
            } else {
                outcome = Outcome.DUPLICATE;
            }
            settled(outcome);
            return outcome;
        }
    }

    /**
     * A place reserved in the sink's buffer for one event. Exactly one of {@link #submit}, {@link #store} or
     * {@link #cancel} must be called, once; a second call throws {@link IllegalStateException}.
     */
    interface Slot {

        /**
         * Hands the event over to be stored in the background. Never blocks and never fails (short of
         * misuse); the outcome reaches {@code progress}.
         *
         * @param event the event, not null
         * @param progress told about the event's way to the store, not null
         * @throws IllegalStateException when this slot was used already
         */
        void submit(UsageEvent event, Progress progress);

        /**
         * Stores the event synchronously (group commit: it joins the next batch, which is written at once) and
         * returns after its transaction committed, or it was found a duplicate or rejected. {@code progress} is
         * told as with {@link #submit}, before this method returns.
         *
         * @param event the event, not null
         * @param progress told about the event's way to the store, not null
         * @return the outcome: {@link Outcome#STORED}, {@link Outcome#DUPLICATE} or {@link Outcome#REJECTED}
         * @throws BackendUnavailableException when the event was not stored; the sink then never stores it
         *         ({@code progress} was told {@link Outcome#ABANDONED})
         * @throws IllegalStateException when this slot was used already
         */
        Outcome store(UsageEvent event, Progress progress);

        /** Gives the place back unused. */
        void cancel();
    }

    /**
     * Reserves a place for one event, blocking while the buffer is full up to the sink's maximum wait.
     *
     * @return the slot; use it promptly (a slot that is never used keeps its place until the sink closes)
     * @throws BackendUnavailableException when no place could be had in time, or the caller was interrupted
     *         while waiting; nothing was taken
     * @throws IllegalStateException after {@link #close()}
     */
    Slot reserve();

    /**
     * Stores one event synchronously: {@code reserve().store(event, Progress.NONE)}.
     *
     * @param event the event
     * @return the outcome: {@link Outcome#STORED}, {@link Outcome#DUPLICATE} or {@link Outcome#REJECTED}
     * @throws BackendUnavailableException when the event was not stored (and never will be by this sink)
     * @throws IllegalStateException after {@link #close()}
     */
    default Outcome store(UsageEvent event) {
        return reserve().store(event, Progress.NONE);
    }

    /**
     * Hands one event over: {@code reserve().submit(event, Progress.NONE)}.
     *
     * @param event the event
     * @throws BackendUnavailableException when no place could be had (the event was not taken)
     * @throws IllegalStateException after {@link #close()}
     */
    default void submit(UsageEvent event) {
        submit(event, Progress.NONE);
    }

    /**
     * Hands one event over: {@code reserve().submit(event, progress)}.
     *
     * @param event the event
     * @param progress told about the event's way to the store
     * @throws BackendUnavailableException when no place could be had (the event was not taken; {@code progress}
     *         is not called)
     * @throws IllegalStateException after {@link #close()}
     */
    default void submit(UsageEvent event, Progress progress) {
        reserve().submit(event, progress);
    }

    /**
     * The clock and business zone the sink's store keeps its windows with, when it has them. A gate built without
     * a clock or zone of its own takes them from here (one configuration, set once on the SQL side), and refuses
     * to be built with a sink whose zone differs from its own, since the cache and the store would then roll daily
     * windows at different midnights.
     *
     * @return the clock and zone, or empty when the sink keeps no windows (or does not say); empty by default
     */
    default java.util.Optional<dev.quota.core.QuotaTime> time() {
        return java.util.Optional.empty();
    }

    /** Writes everything handed over so far and returns when it is settled (or failed a round of retries). */
    void flush();

    /** Flushes and stops; idempotent. */
    @Override
    void close();
}
