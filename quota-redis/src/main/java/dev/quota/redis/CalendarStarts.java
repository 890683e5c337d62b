package dev.quota.redis;

import dev.quota.core.window.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The window thresholds the scripts take, with the start of each calendar period remembered for the last
 * (zone, local date) seen. A calendar period's start ({@link Window.Calendar#periodStart}) depends only on
 * the zone and the local date of {@code now} in it, and that date is computed here exactly and cheaply from
 * the zone's offset at {@code now} (as {@code now.atZone(zone).toLocalDate()} does), so a remembered start is
 * reused only when it is the one the window would compute; any other date or zone recomputes it. Other
 * windows are computed on every call. Thread-safe (a racing update only replaces one correct value by
 * another).
 */
final class CalendarStarts {

    private static final long SECONDS_PER_DAY = 86_400;

    /** One remembered period start, with its digits as the scripts take them. */
    private record Start(ZoneId zone, long localEpochDay, long millis, Arg digits) {
    }

    private final AtomicReferenceArray<Start> starts = new AtomicReferenceArray<>(Window.Calendar.values().length);

    /**
     * @param window the window
     * @param now the current instant
     * @param zone the business zone
     * @return {@code window.expiredBeforeMillis(now, zone)}
     */
    long expiredBeforeMillis(Window window, Instant now, ZoneId zone) {
        if (window instanceof Window.Calendar calendar) {
            return periodStart(calendar, now, zone);
        }
        return window.expiredBeforeMillis(now, zone);
    }

    /**
     * @param window the window
     * @param now the current instant
     * @param zone the business zone
     * @return {@link #expiredBeforeMillis}'s value as decimal digits; a calendar period's start is encoded once
     *         per period and reused
     */
    Object expiredBeforeDigits(Window window, Instant now, ZoneId zone) {
        if (window instanceof Window.Calendar calendar) {
            return start(calendar, now, zone).digits();
        }
        return Ascii.digits(window.expiredBeforeMillis(now, zone));
    }

    /**
     * @param window the window
     * @param now the current instant
     * @param zone the business zone
     * @return {@code window.startAt(null, now, zone)} in epoch ms: the start a window begun now gets
     */
    long newStartMillis(Window window, Instant now, ZoneId zone) {
        if (window instanceof Window.Calendar calendar) {
            // a calendar window with no start is expired, and an expired one starts at its period start
            return periodStart(calendar, now, zone);
        }
        return window.startAt(null, now, zone).toEpochMilli();
    }

    private long periodStart(Window.Calendar calendar, Instant now, ZoneId zone) {
        return start(calendar, now, zone).millis();
    }

    private Start start(Window.Calendar calendar, Instant now, ZoneId zone) {
        int offset = zone.getRules().getOffset(now).getTotalSeconds();
        long localEpochDay = Math.floorDiv(now.getEpochSecond() + offset, SECONDS_PER_DAY);
        Start s = starts.get(calendar.ordinal());
        if (s != null && s.localEpochDay() == localEpochDay && s.zone().equals(zone)) {
            return s;
        }
        long millis = calendar.expiredBeforeMillis(now, zone);
        Start fresh = new Start(zone, localEpochDay, millis, Arg.of(Ascii.digits(millis)));
        starts.set(calendar.ordinal(), fresh);
        return fresh;
    }
}
