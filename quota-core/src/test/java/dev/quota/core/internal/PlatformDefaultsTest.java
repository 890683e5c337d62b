package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import dev.quota.core.spi.PlatformQuotaStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which platform quota defaults apply, and when stored ones are read again. */
class PlatformDefaultsTest {

    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final PlatformQuotaDefaults CONFIGURED = defaults("1");
    private static final PlatformQuotaDefaults STORED = defaults("2");

    private final StepClock clock = new StepClock();
    private final DefaultsOnlyStore store = new DefaultsOnlyStore();
    // loads run on the caller's thread here, so every step is deterministic
    private final PlatformDefaults defaults = new PlatformDefaults(store, CONFIGURED, REFRESH, Duration.ofSeconds(1),
            clock, Runnable::run);

    private static PlatformQuotaDefaults defaults(String dailyUsd) {
        return PlatformQuotaDefaults.builder()
                .system("p", new PeriodLimits(Limit.of(Money.parse(dailyUsd)), Limit.unlimited(), Limit.unlimited()))
                .build();
    }

    @Test
    void theConfiguredCopyAppliesWhileTheStoreHoldsNone() {
        assertThat(defaults.get()).isEqualTo(CONFIGURED);
    }

    @Test
    void storedDefaultsApplyAndAreReadAgainOnlyAfterTheRefreshInterval() {
        store.value = STORED;
        assertThat(defaults.get()).isEqualTo(STORED);
        store.value = defaults("3");
        clock.advance(REFRESH.minusMillis(1));
        assertThat(defaults.get()).isEqualTo(STORED);
        assertThat(store.reads).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(defaults.get()).isEqualTo(defaults("3"));
        assertThat(store.reads).isEqualTo(2);
    }

    @Test
    void aFailedReadKeepsTheLastDefaults() {
        store.value = STORED;
        defaults.get();
        store.failing = true;
        clock.advance(REFRESH);
        assertThat(defaults.get()).isEqualTo(STORED);
    }

    @Test
    void replaceStoresAndAppliesAtOnceAndAFailedStoreChangesNothing() {
        defaults.replace(STORED);
        assertThat(store.value).isEqualTo(STORED);
        assertThat(defaults.get()).isEqualTo(STORED);
        store.failing = true;
        assertThatThrownBy(() -> defaults.replace(defaults("3"))).isInstanceOf(BackendUnavailableException.class);
        assertThat(defaults.get()).isEqualTo(STORED);
    }

    /** Holds defaults only; counts reads; fails on demand. */
    private static final class DefaultsOnlyStore implements PlatformQuotaStore {
        volatile PlatformQuotaDefaults value = PlatformQuotaDefaults.NONE;
        volatile boolean failing;
        int reads;

        @Override
        public PlatformQuotaDefaults defaults() {
            reads++;
            if (failing) {
                throw new BackendUnavailableException("down");
            }
            return value;
        }

        @Override
        public void replaceDefaults(PlatformQuotaDefaults defaults) {
            if (failing) {
                throw new BackendUnavailableException("down");
            }
            value = defaults;
        }

        @Override
        public Optional<PlatformQuotaRecord> find(long userId, String platform) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setLimits(long userId, String platform, PeriodLimits limits) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PlatformQuotaRecord addUsage(long userId, String platform, Money cost, Instant now, ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
