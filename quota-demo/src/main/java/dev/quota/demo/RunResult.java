package dev.quota.demo;

import dev.quota.core.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the simulated traffic did, as the gateway saw it (the books are read from SQL and Redis afterwards).
 *
 * @param seed the seed
 * @param users the users, the burst user last
 * @param perUser per-user traffic by user id
 * @param perModel charged cost and requests by model
 * @param hourly requests and charged cost by simulated hour since the start
 * @param outcomes every decision of the run by outcome (the burst's included)
 * @param outage what happened while Redis was down
 * @param burst the concurrent reservation burst
 * @param recorded requests recorded (or settled)
 * @param maxCharge the largest single charge
 * @param from the first simulated instant
 * @param to the end of the simulated days (the last round ran one tick before)
 * @param runTrips Redis round trips of the run by operation and command (they depend on timing: a miss while
 *     a dirty marker lives by Redis's wall clock is answered from SQL)
 * @param measured round trips of one more round on a warm cache, by operation
 * @param writerHold what happened while the SQL writer was held back, or {@code null} when it was not
 */
public record RunResult(long seed, List<DemoUsers.User> users, Map<Long, UserTraffic> perUser,
                        Map<String, Traffic> perModel, List<Traffic> hourly, DecisionTally outcomes, Outage outage,
                        Burst burst, long recorded, Money maxCharge, Instant from, Instant to,
                        Map<String, Map<String, Long>> runTrips, RoundTripSample measured, WriterHold writerHold) {

    /**
     * Round trips counted for a known number of calls.
     *
     * @param trips round trips by operation, then by Redis command
     * @param calls calls by operation
     */
    public record RoundTripSample(Map<String, Map<String, Long>> trips, Map<String, Long> calls) {
    }

    /**
     * Requests and their cost.
     *
     * @param requests requests recorded
     * @param cost charged cost
     * @param tokens tokens
     */
    public record Traffic(long requests, Money cost, long tokens) {
        /** No traffic. */
        public static final Traffic NONE = new Traffic(0, Money.ZERO, 0);

        /**
         * @param cost a request's cost
         * @param tokens its tokens
         * @return this plus one request
         */
        public Traffic plus(Money cost, long tokens) {
            return new Traffic(requests + 1, this.cost.plus(cost), this.tokens + tokens);
        }
    }

    /**
     * One user's traffic.
     *
     * @param decisions decisions asked for
     * @param recorded the recorded requests and their cost
     * @param denials denials by code
     */
    public record UserTraffic(long decisions, Traffic recorded, Map<String, Long> denials) {
    }

    /**
     * The outage.
     *
     * @param down when Redis went down (simulated)
     * @param up when it was back (simulated)
     * @param how what was done to it
     * @param decisions the gate's answers meanwhile
     * @param synchronousStores records stored straight to SQL meanwhile
     * @param healthWhileDown the gate's health status while Redis was down
     * @param healthAfter the gate's health status at the end of the run
     */
    public record Outage(Instant down, Instant up, String how, DecisionTally decisions, long synchronousStores,
                         String healthWhileDown, String healthAfter) {
    }

    /**
     * The SQL writer held back: it stored nothing from {@code from} to {@code to} while traffic went on.
     *
     * @param from when the hold began (simulated)
     * @param to when the writer was released (simulated)
     * @param decisions the gate's answers meanwhile
     * @param recorded the requests recorded meanwhile and their cost
     * @param rowsWhenHeld ledger rows when the hold began
     * @param rowsAtRelease ledger rows just before the release
     * @param rowsAfter ledger rows once the writer caught up after the release
     * @param recordedAfter requests recorded in the whole run by then
     * @param outboxWhenHeld outbox entries when the hold began
     * @param outboxAtPeak outbox entries just before the release
     * @param outboxAfter outbox entries once the writer caught up and the entries were acknowledged
     * @param unsettledAtPeak events the gate's usage pipeline had not settled just before the release
     * @param oldestWaiting how long the oldest of them had waited then (simulated)
     * @param pipelineAtPeak the usage pipeline's health status then
     * @param healthAtPeak the gate's health status then
     * @param waitedCalls store calls of the writer that waited for the release (depends on the writer's batching)
     */
    public record WriterHold(Instant from, Instant to, DecisionTally decisions, Traffic recorded, long rowsWhenHeld,
                             long rowsAtRelease, long rowsAfter, long recordedAfter, long outboxWhenHeld,
                             long outboxAtPeak, long outboxAfter, long unsettledAtPeak, Duration oldestWaiting,
                             String pipelineAtPeak, String healthAtPeak, long waitedCalls) {
    }

    /**
     * The concurrent reservation burst.
     *
     * @param at when (simulated)
     * @param threads gateway threads
     * @param attempts reservations attempted
     * @param estimate the estimate held (and settled) by each
     * @param admitted reservations admitted and settled
     * @param decisions the burst's decisions by outcome
     */
    public record Burst(Instant at, int threads, int attempts, Money estimate, long admitted, DecisionTally decisions) {
    }
}
