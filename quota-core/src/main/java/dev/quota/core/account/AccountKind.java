package dev.quota.core.account;

/**
 * How an upstream account is authenticated, which decides how {@link AccountUsageService} learns its usage.
 */
public enum AccountKind {

    /**
     * An OAuth subscription account whose provider reports usage (the token has the profile scope): the
     * service fetches the figures through {@link dev.quota.core.spi.UpstreamUsageFetcher}.
     */
    OAUTH(true),

    /**
     * A setup-token account: its provider reports no usage, only the session window's status on each proxied
     * response; the service estimates the 5-hour window from the account's {@link UpstreamAccount#sessionWindow()}.
     */
    SETUP_TOKEN(true),

    /** A plain API-key account: nothing reports its usage; the service throws {@link UsageNotSupportedException}. */
    API_KEY(false);

    private final boolean reportsUsage;

    AccountKind(boolean reportsUsage) {
        this.reportsUsage = reportsUsage;
    }

    /** @return true when {@link AccountUsageService#usage(UpstreamAccount)} can answer for this kind */
    public boolean reportsUsage() {
        return reportsUsage;
    }
}
