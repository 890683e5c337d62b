package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BalanceChange;
import dev.quota.core.BillingAdmin;
import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.QuotaListener;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.window.WindowUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BillingGate#admin()} on a given set of backends: a change made through the admin is
 * seen by the very next check although the cache held the old value, and bad arguments change nothing. Extend
 * it and implement {@link #createBackends()}; the testkit, Redis with the testkit's stores, and Redis with SQL
 * run the same tests.
 */
public abstract class BillingAdminContract {

    /** The user every test works on. */
    protected static final long USER = 42;
    /** The group of the subscription and RPM tests. */
    protected static final long GROUP = 3;
    /** The one platform the gate is configured with. */
    protected static final String PLATFORM = "anthropic";

    /** The backends under test, wired into a gate builder. */
    public interface Backends extends AutoCloseable {
        /**
         * @return a builder with the cache, the RPM counter, every store, a usage sink, the clock and the zone set
         *         (the contract adds the platforms and a listener)
         */
        BillingGate.Builder gateBuilder();

        /** @return the balance store the gate uses (for set-up and for reading what was stored) */
        BalanceStore balances();

        /** @return the subscription store the gate uses */
        SubscriptionStore subscriptions();

        /** @return the platform quota store the gate uses */
        PlatformQuotaStore platformQuotas();

        /** @return the gate's current time */
        Instant now();

        /**
         * Backends from their parts, for a test that wires them itself.
         *
         * @param gateBuilder makes a gate builder with everything set (see {@link #gateBuilder()}), once per call
         * @param balances the balance store the gate uses
         * @param subscriptions the subscription store the gate uses
         * @param platformQuotas the platform quota store the gate uses
         * @param clock the gate's clock
         * @param onClose what {@link #close()} releases (servers, databases); {@code () -> { }} for nothing
         * @return the backends
         * @throws NullPointerException if any argument is null
         */
        static Backends of(Supplier<BillingGate.Builder> gateBuilder, BalanceStore balances,
                           SubscriptionStore subscriptions, PlatformQuotaStore platformQuotas, Clock clock,
                           AutoCloseable onClose) {
            Objects.requireNonNull(gateBuilder, "gateBuilder");
            Objects.requireNonNull(balances, "balances");
            Objects.requireNonNull(subscriptions, "subscriptions");
            Objects.requireNonNull(platformQuotas, "platformQuotas");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(onClose, "onClose");
            return new Backends() {
                @Override
                public BillingGate.Builder gateBuilder() {
                    return gateBuilder.get();
                }

                @Override
                public BalanceStore balances() {
                    return balances;
                }

                @Override
                public SubscriptionStore subscriptions() {
                    return subscriptions;
                }

                @Override
                public PlatformQuotaStore platformQuotas() {
                    return platformQuotas;
                }

                @Override
                public Instant now() {
                    return clock.instant();
                }

                @Override
                public void close() throws Exception {
                    onClose.close();
                }
            };
        }
    }

    private final Map<CheckKind, AtomicLong> cacheHits = new ConcurrentHashMap<>();
    private Backends backends;
    private BillingGate gate;
    private BillingAdmin admin;

    /** Creates the contract; subclasses supply the backends. */
    protected BillingAdminContract() {
    }

    /**
     * Creates the backends under test. Called before every test; each call must return backends that see no data
     * written by earlier tests.
     *
     * @return fresh backends
     */
    protected abstract Backends createBackends();

    @BeforeEach
    void buildGate() {
        backends = createBackends();
        gate = backends.gateBuilder().platforms(PLATFORM).listener(new QuotaListener() {
            @Override
            public void onCacheHit(CheckKind kind) {
                cacheHits.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            }
        }).build();
        admin = gate.admin();
    }

    @AfterEach
    void closeGate() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    // ------------------------------------------------------------------ balances

    @Test
    void aCreditAfterAZeroBalanceWasCachedAllowsTheVeryNextCheck() {
        assertDenied(checkBalance(), DenyReason.INSUFFICIENT_BALANCE);
        assertStillDeniedFromTheCache(CheckKind.BALANCE, this::checkBalance, DenyReason.INSUFFICIENT_BALANCE);

        BalanceChange change = admin.credit(USER, usd("5"), "pay-1");

        assertThat(change).isEqualTo(new BalanceChange(usd("5"), true));
        assertThat(checkBalance().allowed()).isTrue();
        assertThat(backends.balances().find(USER)).contains(usd("5"));
    }

    @Test
    void aReplayedPaymentCreditsOnce() {
        admin.credit(USER, usd("5"), "pay-1");

        assertThat(admin.credit(USER, usd("5"), "pay-1")).isEqualTo(new BalanceChange(usd("5"), false));

        assertThat(backends.balances().find(USER)).contains(usd("5"));
    }

    @Test
    void aDebitBelowZeroDeniesTheVeryNextCheck() {
        backends.balances().set(USER, usd("1"));
        assertThat(checkBalance().allowed()).isTrue();
        gate.flush();
        assertThat(checkBalance().allowed()).isTrue();
        assertThat(hits(CheckKind.BALANCE)).as("the balance was answered from the cache").isPositive();

        assertThat(admin.debit(USER, usd("1.5"), "chargeback-7")).isEqualTo(new BalanceChange(usd("-0.5"), true));

        assertDenied(checkBalance(), DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void aSetBalanceIsSeenByTheVeryNextCheck() {
        assertStillDeniedFromTheCache(CheckKind.BALANCE, this::checkBalance, DenyReason.INSUFFICIENT_BALANCE);

        admin.setBalance(USER, usd("0.25"));

        assertThat(checkBalance().allowed()).isTrue();
        assertThat(backends.balances().find(USER)).contains(usd("0.25"));
    }

    @Test
    void aBalanceChangedElsewhereIsSeenAfterUserChanged() {
        assertStillDeniedFromTheCache(CheckKind.BALANCE, this::checkBalance, DenyReason.INSUFFICIENT_BALANCE);
        backends.balances().set(USER, usd("3")); // a script wrote to the store behind the gate's back
        assertDenied(checkBalance(), DenyReason.INSUFFICIENT_BALANCE);

        admin.userChanged(USER);

        assertThat(checkBalance().allowed()).isTrue();
    }

    @Test
    void badBalanceArgumentsAreRefusedAndChangeNothing() {
        backends.balances().set(USER, usd("1"));
        assertRefused(() -> admin.credit(USER, usd("0"), "pay-1"));
        assertRefused(() -> admin.credit(USER, usd("-1"), "pay-1"));
        assertRefused(() -> admin.credit(USER, null, "pay-1"));
        assertRefused(() -> admin.credit(0, usd("1"), "pay-1"));
        assertRefused(() -> admin.credit(USER, usd("1"), " "));
        assertRefused(() -> admin.credit(USER, usd("1"), "a\u0000b"));
        assertRefused(() -> admin.debit(USER, usd("-1"), "pay-2"));
        assertRefused(() -> admin.setBalance(USER, null));
        assertRefused(() -> admin.setBalance(-1, usd("1")));

        assertThat(backends.balances().find(USER)).contains(usd("1"));
        assertThat(admin.credit(USER, usd("1"), "pay-1").applied()).as("the refused calls used no id").isTrue();
    }

    // ------------------------------------------------------------------ subscriptions, platforms, RPM

    @Test
    void aSubscriptionChangeIsSeenByTheVeryNextCheck() {
        Instant expires = suspendedSubscriptionCached();

        admin.saveSubscription(subscription(SubscriptionStatus.ACTIVE, expires));

        assertThat(checkSubscription().allowed()).isTrue();
        assertThat(backends.subscriptions().find(USER, GROUP).orElseThrow().status()).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void aSubscriptionChangedElsewhereIsSeenAfterSubscriptionChanged() {
        Instant expires = suspendedSubscriptionCached();
        backends.subscriptions().save(subscription(SubscriptionStatus.ACTIVE, expires));

        admin.subscriptionChanged(USER, GROUP);

        assertThat(checkSubscription().allowed()).isTrue();
    }

    @Test
    void aPlatformLimitChangeIsSeenByTheVeryNextCheck() {
        platformDisabledAndCached();

        admin.setPlatformLimits(USER, PLATFORM, daily(Limit.of(usd("5"))));

        assertThat(checkPlatform().allowed()).isTrue();
    }

    @Test
    void aPlatformLimitChangedElsewhereIsSeenAfterUserChanged() {
        platformDisabledAndCached();
        backends.platformQuotas().setLimits(USER, PLATFORM, daily(Limit.unlimited()));

        admin.userChanged(USER);

        assertThat(checkPlatform().allowed()).isTrue();
    }

    @Test
    void anRpmOverrideIsSeenByTheVeryNextCheckAndItsRemovalToo() {
        backends.balances().set(USER, usd("100"));
        assertThat(checkInGroup().allowed()).isTrue();
        assertDenied(checkInGroup(), DenyReason.GROUP_RPM_EXCEEDED);

        admin.setRpmOverride(USER, GROUP, 0); // 0 exempts the user from the group's RPM limit
        assertThat(checkInGroup().allowed()).isTrue();
        assertThat(checkInGroup().allowed()).isTrue();

        admin.removeRpmOverride(USER, GROUP);
        assertDenied(checkInGroup(), DenyReason.GROUP_RPM_EXCEEDED);
    }

    @Test
    void badLimitArgumentsAreRefused() {
        assertRefused(() -> admin.setPlatformLimits(USER, "unknown-platform", PeriodLimits.UNLIMITED));
        assertRefused(() -> admin.setPlatformLimits(USER, " ", PeriodLimits.UNLIMITED));
        assertRefused(() -> admin.setRpmOverride(USER, GROUP, -1));
        assertRefused(() -> admin.setRpmOverride(USER, 0, 5));
        assertRefused(() -> admin.saveSubscription(null));
        assertRefused(() -> admin.subscriptionChanged(USER, -3));
        assertThat(backends.platformQuotas().find(USER, "unknown-platform")).isEmpty();
    }

    @Test
    void aClosedGateRefusesAdminCalls() {
        gate.close();
        assertThatThrownBy(() -> admin.credit(USER, usd("1"), "pay-1")).isInstanceOf(IllegalStateException.class);
        assertThat(backends.balances().find(USER)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private Decision checkBalance() {
        return gate.check(CheckRequest.builder(USER).noGroupRpmOverride().build());
    }

    private Decision checkSubscription() {
        return gate.check(CheckRequest.builder(USER).noGroupRpmOverride()
                .subscriptionGroup(GROUP, PeriodLimits.UNLIMITED, Limit.unlimited()).subscribed(true).build());
    }

    private Decision checkPlatform() {
        return gate.check(CheckRequest.builder(USER).noGroupRpmOverride().platform(PLATFORM).build());
    }

    private Decision checkInGroup() {
        return gate.check(CheckRequest.builder(USER).group(GROUP, Limit.of(1)).build());
    }

    private SubscriptionState subscription(SubscriptionStatus status, Instant expires) {
        return new SubscriptionState(USER, GROUP, status, expires, WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
    }

    private static PeriodLimits daily(Limit limit) {
        return new PeriodLimits(limit, Limit.unlimited(), Limit.unlimited());
    }

    /**
     * Stores a suspended subscription and has the gate cache it.
     *
     * @return when the subscription expires
     */
    private Instant suspendedSubscriptionCached() {
        Instant expires = backends.now().plus(Duration.ofDays(30));
        backends.subscriptions().save(subscription(SubscriptionStatus.SUSPENDED, expires));
        assertStillDeniedFromTheCache(CheckKind.SUBSCRIPTION, this::checkSubscription, DenyReason.SUBSCRIPTION_INVALID);
        return expires;
    }

    /** With money on the balance, disables the platform's daily limit and has the gate cache it. */
    private void platformDisabledAndCached() {
        backends.balances().set(USER, usd("100"));
        backends.platformQuotas().setLimits(USER, PLATFORM, daily(Limit.disabled()));
        assertStillDeniedFromTheCache(CheckKind.PLATFORM_QUOTA, this::checkPlatform,
                DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }

    /** Denied twice, the second time with the entry answered from the cache (the refill has landed). */
    private void assertStillDeniedFromTheCache(CheckKind kind, java.util.function.Supplier<Decision> check,
                                               DenyReason reason) {
        assertDenied(check.get(), reason);
        gate.flush();
        long before = hits(kind);
        assertDenied(check.get(), reason);
        assertThat(hits(kind)).as("the second check was answered from the cached " + kind).isGreaterThan(before);
    }

    private long hits(CheckKind kind) {
        AtomicLong n = cacheHits.get(kind);
        return n == null ? 0 : n.get();
    }

    private static void assertDenied(Decision d, DenyReason reason) {
        assertThat(d.allowed()).as("denied: " + d).isFalse();
        assertThat(d.reason()).isEqualTo(reason);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
    }
}
