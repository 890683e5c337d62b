package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Platform quota defaults stored in the platform quota store are the ones every gate applies, and a change
 * reaches running gates within the refresh interval (on the gate's clock).
 */
class BillingGatePlatformDefaultsTest extends GateTest {

    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final PlatformQuotaDefaults ONE_USD_A_DAY = PlatformQuotaDefaults.builder()
            .system(PLATFORM, new PeriodLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited())).build();

    @BeforeEach
    void setUp() {
        q.balances().set(USER, usd("100"));
        q.platformQuotas().addUsage(USER, PLATFORM, usd("1"), q.clock().instant(), q.zone());
        q.cacheFaults().failAlways(); // every check reads the stores: only the defaults decide
    }

    private BillingGate gate() {
        return open(q.gateBuilder().platformDefaultsRefresh(REFRESH));
    }

    private static Decision check(BillingGate gate) {
        return gate.check(request().platform(PLATFORM).build());
    }

    @Test
    void defaultsStoredInTheStoreReachANewGateAndARunningOneAfterTheRefreshInterval() {
        BillingGate old = gate();
        assertThat(check(old).allowed()).as("no defaults yet: unlimited").isTrue();

        q.platformQuotas().replaceDefaults(ONE_USD_A_DAY);
        assertThat(check(gate()).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        assertThat(check(old).allowed()).as("within the refresh interval").isTrue();

        q.clock().advance(REFRESH);
        check(old); // starts the reload in the background
        old.flush();
        assertThat(check(old).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }

    @Test
    void defaultsReplacedThroughAGateAreStoredForTheOthers() {
        BillingGate one = gate();
        BillingGate other = gate();
        assertThat(check(other).allowed()).isTrue();

        one.replacePlatformQuotaDefaults(ONE_USD_A_DAY);
        assertThat(q.platformQuotas().defaults()).isEqualTo(ONE_USD_A_DAY);
        assertThat(check(one).reason()).as("at once in the gate that replaced them")
                .isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        q.clock().advance(REFRESH);
        check(other);
        other.flush();
        assertThat(check(other).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }

    @Test
    void theBuildersCopyAppliesWhileTheStoreHoldsNoDefaults() {
        BillingGate gate = open(q.gateBuilder().platformQuotaDefaults(ONE_USD_A_DAY));
        assertThat(check(gate).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }

    @Test
    void aFailedReloadKeepsTheLastDefaults() {
        q.platformQuotas().replaceDefaults(ONE_USD_A_DAY);
        BillingGate gate = gate();
        assertThat(check(gate).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);

        q.platformQuotas().faults().failAlways();
        q.clock().advance(REFRESH);
        check(gate);
        gate.flush();
        q.platformQuotas().faults().heal();
        assertThat(check(gate).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }
}
