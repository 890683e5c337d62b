package dev.quota.core.account;

/**
 * What {@link AccountUsageService} needs to know about one upstream account: its id (the id the gateway
 * records on usage events as {@code accountId}), its {@link AccountKind} and its last observed
 * {@link SessionWindow}. The gateway builds it from its own account record. Immutable.
 *
 * @param id the account id
 * @param kind how the account is authenticated; decides how its usage is learnt
 * @param sessionWindow the last observed session window; {@link SessionWindow#NONE} when none
 */
public record UpstreamAccount(long id, AccountKind kind, SessionWindow sessionWindow) {

    /**
     * Validates.
     *
     * @param id the account id
     * @param kind the account kind
     * @param sessionWindow the session window
     * @throws IllegalArgumentException if {@code kind} or {@code sessionWindow} is null
     */
    public UpstreamAccount {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (sessionWindow == null) {
            throw new IllegalArgumentException("sessionWindow must not be null (use SessionWindow.NONE)");
        }
    }

    /**
     * @param id the account id
     * @return an {@link AccountKind#OAUTH} account without a known session window
     */
    public static UpstreamAccount oauth(long id) {
        return new UpstreamAccount(id, AccountKind.OAUTH, SessionWindow.NONE);
    }

    /**
     * @param id the account id
     * @return a {@link AccountKind#SETUP_TOKEN} account without a known session window
     */
    public static UpstreamAccount setupToken(long id) {
        return new UpstreamAccount(id, AccountKind.SETUP_TOKEN, SessionWindow.NONE);
    }

    /**
     * @param id the account id
     * @return an {@link AccountKind#API_KEY} account
     */
    public static UpstreamAccount apiKey(long id) {
        return new UpstreamAccount(id, AccountKind.API_KEY, SessionWindow.NONE);
    }

    /**
     * @param window the observed session window
     * @return a copy with that session window
     * @throws IllegalArgumentException if {@code window} is null
     */
    public UpstreamAccount withSessionWindow(SessionWindow window) {
        return new UpstreamAccount(id, kind, window);
    }
}
