package dev.quota.core.limit;

import dev.quota.core.window.Window;
import java.time.Duration;

/**
 * The windows each limit family uses, as in the production gateways:
 * <ul>
 *   <li>subscription usage: rolling 1 d / 7 d / 30 d;</li>
 *   <li>user × platform quota: calendar day, calendar week (Monday) in the business zone, rolling 30 d;</li>
 *   <li>API key spend: rolling 5 h / 1 d / 7 d ({@link KeyWindow});</li>
 *   <li>requests per minute and an API key's tokens per minute: a fixed, epoch-aligned 1-minute bucket.</li>
 * </ul>
 */
public final class QuotaWindows {

    /** Thirty days, the "monthly" rolling window. */
    public static final Duration THIRTY_DAYS = Duration.ofDays(30);
    /** The RPM bucket. */
    public static final Window.Fixed RPM = new Window.Fixed(Duration.ofMinutes(1));
    /** The tokens-per-minute window of an API key: the same epoch-aligned minute as {@link #RPM}. */
    public static final Window.Fixed TPM = RPM;

    private static final Window SUB_DAY = Window.rolling(Duration.ofDays(1));
    private static final Window SUB_WEEK = Window.rolling(Duration.ofDays(7));
    private static final Window MONTH_30 = Window.rolling(THIRTY_DAYS);

    private QuotaWindows() {
    }

    /**
     * @param period the period
     * @return the subscription window of that period
     */
    public static Window subscription(Period period) {
        return switch (period) {
            case DAILY -> SUB_DAY;
            case WEEKLY -> SUB_WEEK;
            case MONTHLY -> MONTH_30;
        };
    }

    /**
     * @param period the period
     * @return the user × platform quota window of that period
     */
    public static Window platform(Period period) {
        return switch (period) {
            case DAILY -> Window.calendarDay();
            case WEEKLY -> Window.calendarWeek();
            case MONTHLY -> MONTH_30;
        };
    }
}
