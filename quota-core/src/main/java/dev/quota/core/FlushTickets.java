package dev.quota.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The flush protocol's bookkeeping: a {@link BatchingUsageWriter#flush()} takes a ticket covering everything
 * queued so far and waits until that is settled, or until a batch holding some of it fails a round that began
 * after the ticket was issued (a round already under way when the flush began does not fail it: the flush
 * waits for the next one). Not thread-safe: guarded by the buffer's lock.
 */
final class FlushTickets {

    /** One waiting flush. */
    static final class Ticket {
        /** The last queue position the flush covers. */
        final long upTo;
        /** Tickets issued before this one, plus one. */
        final long number;
        private boolean failed;

        private Ticket(long upTo, long number) {
            this.upTo = upTo;
            this.number = number;
        }

        /**
         * @param oldestOutstanding the lowest queue position not settled yet ({@link Long#MAX_VALUE} when none)
         * @return whether the flush still waits
         */
        boolean waiting(long oldestOutstanding) {
            return oldestOutstanding <= upTo && !failed;
        }

        /** @return whether a batch this flush covers failed a round */
        boolean failed() {
            return failed;
        }
    }

    private final List<Ticket> open = new ArrayList<>();
    private long issued;

    /**
     * @param upTo the last queue position the flush covers
     * @return the ticket; {@link #retire} it when the flush returns
     */
    Ticket issue(long upTo) {
        Ticket t = new Ticket(upTo, ++issued);
        open.add(t);
        return t;
    }

    /** @param ticket a ticket whose flush returned */
    void retire(Ticket ticket) {
        open.remove(ticket);
    }

    /** @return whether a flush is waiting (workers then write without lingering) */
    boolean anyOpen() {
        return !open.isEmpty();
    }

    /** @return tickets issued so far; a batch notes this when its round begins */
    long issued() {
        return issued;
    }

    /**
     * A batch failed a round: fails the waiting flushes that cover it and were issued before the round began.
     *
     * @param minSeq the batch's lowest queue position
     * @param ticketsAtStart {@link #issued()} when the round began
     */
    void roundFailed(long minSeq, long ticketsAtStart) {
        for (Ticket t : open) {
            if (minSeq <= t.upTo && t.number <= ticketsAtStart) {
                t.failed = true;
            }
        }
    }
}
