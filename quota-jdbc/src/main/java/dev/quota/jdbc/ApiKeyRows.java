package dev.quota.jdbc;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.QuotaWindows;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The API key rows of schema version 7: {@code <prefix>api_key_usage} (one row per key: the 5 h / 1 d / 7 d spend
 * and the tokens of the current minute, each with its window start) and {@code <prefix>api_key_model_usage} (one
 * row per key and model: the key's spend on that model). The ledger changes them with the catalog statements
 * {@code api_key_usage.add} and {@code api_key_model_usage.add} (the window and reset rules, written once per
 * dialect), whose arguments {@link #addArgs} and {@link #addModelArgs} build; {@link JdbcWindowCounterStore} reads
 * them. Stateless apart from the database; thread-safe.
 */
final class ApiKeyRows {

    private final Db db;

    ApiKeyRows(Db db) {
        this.db = db;
    }

    /**
     * The arguments of {@code api_key_usage.add}: {@code cost} into the three spend windows, {@code tokens} into the
     * minute (only when positive).
     */
    static Args addArgs(long apiKeyId, long cost, long tokens, Instant now) {
        Args args = Args.of().put("apiKeyId", apiKeyId).put("cost", cost).put("tokens", tokens);
        bindKeyWindows(args, now);
        JdbcSubscriptionStore.bindWindow(args, "tpm", QuotaWindows.TPM, now);
        return args;
    }

    /** The arguments of {@code api_key_model_usage.add}: {@code cost} into the key's three windows on the model. */
    static Args addModelArgs(long apiKeyId, String model, long cost, Instant now) {
        Args args = Args.of().put("apiKeyId", apiKeyId).put("model", model).put("cost", cost);
        bindKeyWindows(args, now);
        return args;
    }

    /** {@code w5hExpired}, {@code w5hStart} and the same for 1 d and 7 d (rolling windows: no zone involved). */
    private static void bindKeyWindows(Args args, Instant now) {
        for (KeyWindow w : KeyWindow.values()) {
            JdbcSubscriptionStore.bindWindow(args, "w" + w.label(), w.window(), now);
        }
    }

    Optional<KeyUsage> find(long userId, long apiKeyId) {
        return db.call("api key usage find", h -> db.queryNamed(h, "api_key_usage.find").bind("apiKeyId", apiKeyId)
                .map(Rows.decoding(db.prefix + "api_key_usage", rs -> "api_key_id=" + apiKeyId,
                        (rs, ctx) -> new KeyUsage(userId, apiKeyId, Rows.window(rs, "used_5h", "start_5h"),
                                Rows.window(rs, "used_1d", "start_1d"), Rows.window(rs, "used_7d", "start_7d"),
                                Rows.window(rs, "tpm_tokens", "tpm_start")))).findOne());
    }

    Optional<KeyModelUsage> findModel(long userId, long apiKeyId, String model) {
        Objects.requireNonNull(model, "model");
        if (model.isEmpty() || model.length() > dev.quota.core.UsageEvent.MAX_MODEL_LENGTH) {
            return Optional.empty(); // no such row can exist
        }
        return db.call("api key model usage find", h -> db.queryNamed(h, "api_key_model_usage.find")
                .bind("apiKeyId", apiKeyId).bind("model", model)
                .map(Rows.decoding(db.prefix + "api_key_model_usage",
                        rs -> "api_key_id=" + apiKeyId + ", model=" + DeadLetters.escape(model),
                        (rs, ctx) -> new KeyModelUsage(userId, apiKeyId, model, Rows.window(rs, "used_5h", "start_5h"),
                                Rows.window(rs, "used_1d", "start_1d"), Rows.window(rs, "used_7d", "start_7d"))))
                .findOne());
    }
}
