package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Window counters in the source of truth: generic counters by name ({@link #add}, {@link #find}), and the read of
 * the API key windows a {@link UsageLedger} keeps ({@link #findKeyUsage}, {@link #findKeyModelUsage}). An increment
 * and the reset of an expired window happen in one atomic step, so a window that expires between two increments is
 * reset exactly once. Failures are reported as {@link BackendUnavailableException}. Thread-safe.
 *
 * <p><b>API key windows.</b> A ledger may keep an API key's windows (5 h / 1 d / 7 d spend and the tokens of the
 * current minute) as one record per key, and a key's windows on one model as one record per key and model, rather
 * than as named counters: the SQL adapter does (schema version 7: a stored event moves two rows for them instead of
 * seven), and so does the testkit's in-memory ledger. The gate reads them only through {@link #findKeyUsage} and
 * {@link #findKeyModelUsage}; their defaults read the named counters of the former layout
 * ({@link UsageLedger#keyCounter}, {@link UsageLedger#keyTokensCounter}, {@link UsageLedger#keyModelCounter}), so a
 * store and ledger pair that still keeps those counters works unchanged.
 */
public interface WindowCounterStore {

    /**
     * Adds {@code amount}; when the counter is absent or its window expired at {@code now}, sets it to
     * {@code amount} with the window's new start ({@link Window#startAt}).
     *
     * @param counter the counter name (1 to 200 characters)
     * @param window the counter's window
     * @param amount the amount, not negative
     * @param now the current instant (from the service's clock)
     * @param zone the business zone
     * @return the counter after the increment
     * @throws IllegalArgumentException if the name is blank or too long, or {@code amount} is negative
     */
    WindowUsage add(String counter, Window window, long amount, Instant now, ZoneId zone);

    /**
     * @param counter the counter name
     * @return the stored counter (possibly of an expired window), empty when absent
     */
    Optional<WindowUsage> find(String counter);

    /**
     * The windows of one API key, read in one step (one row in the SQL adapter): the cost in its rolling 5 h / 1 d /
     * 7 d windows and the input + output tokens of its current minute, as the ledger stored them (windows may have
     * expired: {@link WindowUsage#effective} says what counts now). The windows are the key's, whoever's events
     * moved them; {@code userId} only labels the answer.
     *
     * <p>The default reads the named counters {@link UsageLedger#keyCounter} and {@link UsageLedger#keyTokensCounter}
     * with {@link #find} (four reads, not atomic together); stores that keep the windows together override it.
     *
     * @param userId the user owning the key (copied into the answer)
     * @param apiKeyId the key
     * @return the key's windows (a window without usage is {@link WindowUsage#EMPTY}), empty when no usage of the
     *         key was ever stored
     */
    default Optional<KeyUsage> findKeyUsage(long userId, long apiKeyId) {
        Optional<WindowUsage> fiveHours = find(UsageLedger.keyCounter(apiKeyId, KeyWindow.FIVE_HOURS));
        Optional<WindowUsage> oneDay = find(UsageLedger.keyCounter(apiKeyId, KeyWindow.ONE_DAY));
        Optional<WindowUsage> sevenDays = find(UsageLedger.keyCounter(apiKeyId, KeyWindow.SEVEN_DAYS));
        Optional<WindowUsage> tokens = find(UsageLedger.keyTokensCounter(apiKeyId));
        if (fiveHours.isEmpty() && oneDay.isEmpty() && sevenDays.isEmpty() && tokens.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeyUsage(userId, apiKeyId, fiveHours.orElse(WindowUsage.EMPTY),
                oneDay.orElse(WindowUsage.EMPTY), sevenDays.orElse(WindowUsage.EMPTY),
                tokens.orElse(WindowUsage.EMPTY)));
    }

    /**
     * The rolling 5 h / 1 d / 7 d cost windows of one API key on one model (the key's events whose model is exactly
     * {@code model}), read in one step (one row in the SQL adapter).
     *
     * <p>The default reads the named counters {@link UsageLedger#keyModelCounter} with {@link #find} (three reads,
     * not atomic together); stores that keep the windows together override it.
     *
     * @param userId the user owning the key (copied into the answer)
     * @param apiKeyId the key
     * @param model the model, not null
     * @return the windows (a window without usage is {@link WindowUsage#EMPTY}), empty when no usage of the key on
     *         that model was ever stored
     */
    default Optional<KeyModelUsage> findKeyModelUsage(long userId, long apiKeyId, String model) {
        java.util.Objects.requireNonNull(model, "model");
        Optional<WindowUsage> fiveHours = find(UsageLedger.keyModelCounter(apiKeyId, model, KeyWindow.FIVE_HOURS));
        Optional<WindowUsage> oneDay = find(UsageLedger.keyModelCounter(apiKeyId, model, KeyWindow.ONE_DAY));
        Optional<WindowUsage> sevenDays = find(UsageLedger.keyModelCounter(apiKeyId, model, KeyWindow.SEVEN_DAYS));
        if (fiveHours.isEmpty() && oneDay.isEmpty() && sevenDays.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeyModelUsage(userId, apiKeyId, model, fiveHours.orElse(WindowUsage.EMPTY),
                oneDay.orElse(WindowUsage.EMPTY), sevenDays.orElse(WindowUsage.EMPTY)));
    }
}
