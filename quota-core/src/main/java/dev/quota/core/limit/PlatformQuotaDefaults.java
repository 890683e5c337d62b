package dev.quota.core.limit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Configured user × platform quota defaults: a system default and one per auth source (email, oidc,
 * github, ...), each a map from platform to {@link PeriodLimits}. A source's configuration replaces the
 * system default <em>as a whole</em>: a platform missing from it is unlimited for users of that source.
 * The defaults apply to users without their own limits ({@link PlatformQuotaRecord#limits()} {@code null}).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class PlatformQuotaDefaults {

    /** No defaults: every platform is unlimited. */
    public static final PlatformQuotaDefaults NONE = builder().build();

    private final Map<String, PeriodLimits> system;
    private final Map<String, Map<String, PeriodLimits>> bySource;

    private PlatformQuotaDefaults(Map<String, PeriodLimits> system, Map<String, Map<String, PeriodLimits>> bySource) {
        this.system = Map.copyOf(system);
        Map<String, Map<String, PeriodLimits>> copy = new TreeMap<>();
        bySource.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        this.bySource = Map.copyOf(copy);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves the default limits for a user of {@code authSource} on {@code platform}.
     *
     * @param authSource the user's auth source, or {@code null}
     * @param platform the platform
     * @return the source's limits when the source is configured, else the system default; unlimited when neither names the platform
     */
    public PeriodLimits resolve(String authSource, String platform) {
        if (platform == null) {
            throw new IllegalArgumentException("platform must not be null");
        }
        Map<String, PeriodLimits> table = authSource != null && bySource.containsKey(authSource)
                ? bySource.get(authSource) : system;
        return table.getOrDefault(platform, PeriodLimits.UNLIMITED);
    }

    /** @return the system default per platform */
    public Map<String, PeriodLimits> system() {
        return system;
    }

    /** @return the defaults per auth source, each per platform */
    public Map<String, Map<String, PeriodLimits>> bySource() {
        return bySource;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformQuotaDefaults d && d.system.equals(system) && d.bySource.equals(bySource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, bySource);
    }

    @Override
    public String toString() {
        return "PlatformQuotaDefaults{system=" + system + ", bySource=" + bySource + '}';
    }

    /** Builder; validates eagerly. Not thread-safe. */
    public static final class Builder {
        private final Map<String, PeriodLimits> system = new TreeMap<>();
        private final Map<String, Map<String, PeriodLimits>> bySource = new TreeMap<>();

        private Builder() {
        }

        /**
         * Sets the system default for one platform.
         *
         * @param platform the platform, not blank
         * @param limits the limits
         * @return this
         */
        public Builder system(String platform, PeriodLimits limits) {
            system.put(Platforms.requireValid(platform, "platform"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /**
         * Sets the default of one auth source for one platform. Configuring any platform for a source makes
         * the source's table replace the system default as a whole.
         *
         * @param authSource the auth source, not blank
         * @param platform the platform, not blank
         * @param limits the limits
         * @return this
         */
        public Builder source(String authSource, String platform, PeriodLimits limits) {
            bySource.computeIfAbsent(requireName(authSource, "authSource"), k -> new TreeMap<>())
                    .put(Platforms.requireValid(platform, "platform"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /**
         * Declares an auth source with an empty table: its users get no default limits at all.
         *
         * @param authSource the auth source, not blank
         * @return this
         */
        public Builder sourceWithoutLimits(String authSource) {
            bySource.computeIfAbsent(requireName(authSource, "authSource"), k -> new TreeMap<>());
            return this;
        }

        /** @return the immutable defaults */
        public PlatformQuotaDefaults build() {
            return new PlatformQuotaDefaults(system, bySource);
        }

        private static String requireName(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }
    }
}
