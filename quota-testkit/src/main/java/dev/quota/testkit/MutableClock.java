package dev.quota.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} whose time only moves when a test says so: {@link #set(Instant)} and
 * {@link #advance(Duration)}. Use it wherever Quota takes a {@code Clock} so that window resets, hold expiry
 * and calendar boundaries can be tested without {@code Thread.sleep}.
 *
 * <p>The instant is kept exactly as set (no truncation); Quota itself works at millisecond precision, so
 * prefer instants without sub-millisecond digits. The zone is fixed per instance (UTC unless given);
 * {@link #withZone(ZoneId)} returns a clock in another zone that shares the same time source, so advancing
 * either moves both.
 *
 * <p>Thread-safe: the time source is an {@link AtomicReference}; {@link #advance} is atomic.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> source;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> source, ZoneId zone) {
        this.source = source;
        this.zone = zone;
    }

    /**
     * A clock in UTC that starts at {@code start}.
     *
     * @param start the initial instant
     * @return the clock
     */
    public static MutableClock at(Instant start) {
        return at(start, ZoneOffset.UTC);
    }

    /**
     * A clock in {@code zone} that starts at {@code start}.
     *
     * @param start the initial instant
     * @param zone the clock's zone
     * @return the clock
     */
    public static MutableClock at(Instant start, ZoneId zone) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(zone, "zone");
        return new MutableClock(new AtomicReference<>(start), zone);
    }

    /**
     * A clock in UTC that starts at an ISO-8601 instant such as {@code "2025-03-09T06:59:59Z"}.
     *
     * @param isoInstant the initial instant, as accepted by {@link Instant#parse(CharSequence)}
     * @return the clock
     * @throws java.time.format.DateTimeParseException if the text is not an ISO-8601 instant
     */
    public static MutableClock startingAt(String isoInstant) {
        return at(Instant.parse(Objects.requireNonNull(isoInstant, "isoInstant")));
    }

    /**
     * A clock in {@code zone} that starts at an ISO-8601 instant.
     *
     * @param isoInstant the initial instant, as accepted by {@link Instant#parse(CharSequence)}
     * @param zone the clock's zone
     * @return the clock
     */
    public static MutableClock startingAt(String isoInstant, ZoneId zone) {
        return at(Instant.parse(Objects.requireNonNull(isoInstant, "isoInstant")), zone);
    }

    /**
     * Moves the clock to {@code instant} (forwards or backwards).
     *
     * @param instant the new time
     */
    public void set(Instant instant) {
        source.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock forward by {@code amount}, atomically.
     *
     * @param amount how far to move; zero or positive (use {@link #set} to go back)
     * @return the new time
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative: " + amount + " (use set to go back)");
        }
        return source.updateAndGet(t -> t.plus(amount));
    }

    /** @return the current instant, exactly as last set */
    @Override
    public Instant instant() {
        return source.get();
    }

    /** @return the current instant in epoch milliseconds (sub-millisecond digits dropped) */
    @Override
    public long millis() {
        return source.get().toEpochMilli();
    }

    /** @return this clock's zone */
    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * @param newZone the zone of the returned clock
     * @return a clock in {@code newZone} sharing this clock's time source
     */
    @Override
    public MutableClock withZone(ZoneId newZone) {
        Objects.requireNonNull(newZone, "newZone");
        return newZone.equals(zone) ? this : new MutableClock(source, newZone);
    }

    /**
     * @param o another object
     * @return true when {@code o} is a {@code MutableClock} sharing this time source in the same zone
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MutableClock c && c.source == source && c.zone.equals(zone);
    }

    /** @return a hash of the time source's identity and the zone */
    @Override
    public int hashCode() {
        return System.identityHashCode(source) * 31 + zone.hashCode();
    }

    /** @return e.g. {@code MutableClock[2025-01-01T00:00:00Z,UTC]} */
    @Override
    public String toString() {
        return "MutableClock[" + source.get() + "," + zone + "]";
    }
}
