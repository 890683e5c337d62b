package dev.quota.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The clock and business zone of one Quota deployment: the only source of time, and the zone whose midnights
 * roll the calendar windows (daily, weekly, monthly). Build it once and hand the same value to every part that
 * keeps time, so that the cache and SQL roll windows at the same midnight: the gate takes it with
 * {@link BillingGateBuilder#time}; a part that takes its zone separately is checked against it with
 * {@link #requireSameZone} (the gate does this with its usage sink when it is built). Immutable.
 *
 * @param clock the only source of time
 * @param zone the business zone of calendar windows
 */
public record QuotaTime(Clock clock, ZoneId zone) {

    /** The default: the system clock and the {@code UTC} zone. */
    public static final QuotaTime UTC = new QuotaTime(Clock.systemUTC(), ZoneId.of("UTC"));

    /**
     * @param clock the only source of time
     * @param zone the business zone of calendar windows
     * @throws NullPointerException when either is null
     */
    public QuotaTime {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * @param zone the business zone of calendar windows
     * @return the system clock in that business zone
     */
    public static QuotaTime systemIn(ZoneId zone) {
        return new QuotaTime(Clock.systemUTC(), zone);
    }

    /**
     * @param clock another clock (a test's controllable clock, say)
     * @return this business zone on {@code clock}
     */
    public QuotaTime withClock(Clock clock) {
        return new QuotaTime(clock, zone);
    }

    /**
     * @param zone another business zone
     * @return this clock in {@code zone}
     */
    public QuotaTime withZone(ZoneId zone) {
        return new QuotaTime(clock, zone);
    }

    /** @return the clock's instant at millisecond precision, the precision of every store and script */
    public Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /**
     * Checks that another part rolls its windows in this business zone: the same zone, or one with the same fixed
     * offset ({@code UTC}, {@code Z} and {@code GMT} are one zone).
     *
     * @param other the other part's zone
     * @param whose the other part, for the message (e.g. "the usage sink")
     * @throws IllegalStateException when the zones differ, naming both
     */
    public void requireSameZone(ZoneId other, String whose) {
        if (!zone.normalized().equals(other.normalized())) {
            throw new IllegalStateException(whose + " rolls windows in " + other + " but the gate in " + zone
                    + ": give both the same business zone (BillingGate.Builder.zone and the writer's or"
                    + " JdbcQuota.Builder.zone), or the cache and SQL reset daily windows at different midnights");
        }
    }
}
