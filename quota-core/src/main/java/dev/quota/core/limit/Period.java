package dev.quota.core.limit;

/** The three periods of subscription and platform limits. Which {@link dev.quota.core.window.Window} each
 * period uses depends on the limit family, see {@link QuotaWindows}. */
public enum Period {
    /** Daily. */
    DAILY,
    /** Weekly. */
    WEEKLY,
    /** Monthly. */
    MONTHLY
}
