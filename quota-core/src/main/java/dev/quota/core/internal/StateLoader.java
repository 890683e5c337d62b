package dev.quota.core.internal;

import dev.quota.core.GateConfig;
import dev.quota.core.Decision;
import dev.quota.core.InvalidDataException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator.LoadedState;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the state a check or a hold evaluates: the cache view's entries plus store reads of the entries it lacks
 * (single-flight, through {@link StoreReads}) with the user's unsettled usage added, and decides the refill. A read
 * that overlapped a commit of the user's usage is read again (at most {@link #MAX_READS} times, waiting for the
 * commit, within the load timeout) and then answered conservatively: every unsettled event added, which errs on
 * denying. Thread-safe.
 */
final class StateLoader {

    private static final Logger LOG = LoggerFactory.getLogger(StateLoader.class);
    /** Store reads of one answer at most, when reads overlap commits of the user's usage. */
    static final int MAX_READS = 3;

    /** Whether and how the cache is refilled with exact store reads of a user without unsettled usage. */
    enum Refill {
        /** No refill (the cache did not answer). */
        NONE,
        /** Queued in the cache-write pool (checks). */
        QUEUED,
        /** Written on the caller's thread (reservations need the entry in place before retrying). */
        NOW
    }

    /**
     * One answer from one round of reads.
     *
     * @param <T> the answer
     */
    @FunctionalInterface
    interface Answer<T> {
        /**
         * @param reads the round's reads
         * @param conservative true on the last round: answer even when the reads are not exact
         * @return the answer, or null to read again
         */
        T answer(StoreReads.Gathered reads, boolean conservative);
    }

    private final GateConfig config;
    private final StoreReads reads;
    private final UnsettledUsage unsettled;
    private final LocalHolds localHolds;
    private final CacheWritePool pool;

    /**
     * @param config the gate's configuration (load timeout, clock)
     * @param reads the store reads
     * @param unsettled the gate's unsettled usage
     * @param localHolds the gate's local holds (no refill of a user who has some)
     * @param pool where queued refills run
     */
    StateLoader(GateConfig config, StoreReads reads, UnsettledUsage unsettled, LocalHolds localHolds,
                CacheWritePool pool) {
        this.config = config;
        this.reads = reads;
        this.unsettled = unsettled;
        this.localHolds = localHolds;
        this.pool = pool;
    }

    /**
     * Merges the cache view with store reads of every needed entry it lacks. The refill is written when
     * {@code refill} asks for one and the reads were exact while the user had no unsettled usage.
     *
     * @param request the request
     * @param check the cache check (which entries are needed)
     * @param view what the cache answered, or null when it failed
     * @param refill the refill wanted
     * @param permit told about balance and subscription reads
     * @return the state, or the decision of a failed read
     * @throws InvalidDataException when a store read found a row of the user it cannot decode
     */
    LoadedState load(CheckRequest request, CacheCheck check, CheckView view, Refill refill, StoreReads.Permit permit) {
        long userId = request.userId();
        long readFrom = config.clock().millis();
        return readUntilExact(request, check, view, permit, LoadedState::failed, (g, conservative) -> {
            UnsettledUsage.View v = unsettled.view(userId);
            boolean exact = g.exact(v);
            if (!exact && !conservative) {
                return null;
            }
            if (!exact) {
                LOG.debug("store reads of user {} overlapped commits of its usage: answering conservatively", userId);
            }
            if (refill != Refill.NONE && exact && v.quiet()) {
                g.refill((what, user, put) -> refill(what, user, refill, readFrom, put));
            }
            return LoadedState.of(g.state(v.events()));
        });
    }

    /**
     * Reads until {@code answer} answers: after a round it declines, waits for the user's commits and reads
     * again; the last round (the {@link #MAX_READS}th, or once the wait timed out) is conservative.
     *
     * @param request the request
     * @param check the cache check
     * @param view what the cache answered, or null
     * @param permit told about balance and subscription reads
     * @param onFailure the answer to a read that failed under a fail-closed policy
     * @param answer the answer to a round of reads
     * @param <T> the answer
     * @return the answer
     */
    <T> T readUntilExact(CheckRequest request, CacheCheck check, CheckView view, StoreReads.Permit permit,
                         Function<Decision, T> onFailure, Answer<T> answer) {
        long userId = request.userId();
        long deadline = System.nanoTime() + config.loadTimeout().toNanos();
        boolean last = false;
        for (int attempt = 1; ; attempt++) {
            last |= attempt >= MAX_READS;
            StoreReads.Gathered g = reads.gather(request, check, view, permit, attempt == 1);
            if (g.failure() != null) {
                return onFailure.apply(g.failure());
            }
            T a = answer.answer(g, last);
            if (a != null) {
                return a;
            }
            last = !awaitCommits(userId, deadline);
        }
    }

    /** @return false when the user's commits did not finish by the deadline (or the wait was interrupted) */
    private boolean awaitCommits(long userId, long deadline) {
        try {
            return unsettled.awaitCommits(userId, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes a refill when the user is still quiet (no unsettled usage, no live local hold) and the store read it
     * carries began less than half the cache's dirty period ago ({@link dev.quota.core.spi.BillingCache#dirtyTtl})
     * when the write runs; otherwise skips it (a later miss refills once the store has caught up). The age bound
     * keeps a refill that waited in the write queue from landing after the dirty marker of usage that met the
     * entry absent, from this process or another, lapsed.
     */
    private void refill(String what, long userId, Refill mode, long readFrom, BooleanSupplier put) {
        Runnable task = () -> {
            long age = config.clock().millis() - readFrom;
            if (age > config.refillMaxAge().toMillis()) {
                LOG.debug("{} skipped: its store read began {} ms ago, more than half the cache's dirty period", what,
                        age);
            } else if (unsettled.quiet(userId) && !localHolds.any(userId, config.time().now())) {
                put.getAsBoolean();
            } else {
                LOG.debug("{} skipped: usage or local holds of the user are not in the store", what);
            }
        };
        if (mode == Refill.NOW) {
            task.run();
        } else {
            pool.submitRefill(what, task);
        }
    }
}
