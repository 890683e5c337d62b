package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.KEY;
import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Reservation;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 32 threads behind a start gate, exact end states. */
class BillingGateConcurrencyTest extends GateTest {

    private static final int THREADS = 32;
    private static final int PER_THREAD = 40;

    private BillingGate gate;

    @BeforeEach
    void setUp() {
        gate = closeAfter(GateFixture.gate(q));
        q.balances().set(USER, usd("1000"));
    }

    private static void race(int threads, Callable<Void> body) throws Exception {
        Race.run(threads, t -> body.call());
    }

    private void warmCache() {
        CheckRequest r = request().platform(PLATFORM)
                .apiKey(KEY, new KeyLimits(Limit.of(usd("100000")), Limit.unlimited(), Limit.unlimited())).build();
        assertThat(gate.check(r).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).isPresent();
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM)).isPresent();
        assertThat(q.cache().cachedKeyUsage(USER, KEY)).isPresent();
    }

    @Test
    void concurrentRecordsEndAtTheExactSumAndReplaysChangeNothing() throws Exception {
        warmCache();
        List<UsageEvent> events = new ArrayList<>();
        Random random = new Random(20261122);
        long sum = 0;
        for (int i = 0; i < THREADS * PER_THREAD; i++) {
            Money cost = Money.ofNanos(1 + random.nextInt(50_000_000));
            sum += cost.nanos();
            events.add(usage(q, cost.toPlainString()).platform(PLATFORM).apiKeyId(KEY).build());
        }
        AtomicLong next = new AtomicLong();
        Callable<Void> recordAll = () -> {
            for (int i = 0; i < PER_THREAD; i++) {
                gate.record(events.get((int) next.getAndIncrement()));
            }
            return null;
        };
        race(THREADS, recordAll);
        gate.flush();
        assertExactly(sum, events.size());

        next.set(0);
        race(THREADS, recordAll);
        gate.flush();
        assertExactly(sum, events.size());
    }

    private void assertExactly(long sum, int count) {
        Money left = usd("1000").minus(Money.ofNanos(sum));
        assertThat(q.cache().cachedBalance(USER)).contains(left);
        assertThat(q.balances().find(USER)).contains(left);
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(sum);
        assertThat(q.platformQuotas().find(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(sum);
        assertThat(q.cache().cachedKeyUsage(USER, KEY).orElseThrow().fiveHours().used()).isEqualTo(sum);
        assertThat(q.windowCounters().findKeyUsage(USER, KEY).orElseThrow().fiveHours().used())
                .isEqualTo(sum);
        assertThat(q.usageLog().totals(UsageFilter.all().withUser(USER)).requests()).isEqualTo(count);
        assertThat(q.usageLog().totals(UsageFilter.all().withUser(USER)).actualCost()).isEqualTo(Money.ofNanos(sum));
    }

    private static final Money LIMIT = usd("10");
    private static final long MAX_COST_NANOS = usd("0.5").nanos();

    private CheckRequest limited() {
        return request().apiKey(KEY, new KeyLimits(Limit.of(LIMIT), Limit.unlimited(), Limit.unlimited())).build();
    }

    @Test
    void reservationsNeverAdmitMoreThanTheLimit() throws Exception {
        warmCache();
        AtomicLong admitted = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        race(THREADS, () -> {
            Random random = new Random(Thread.currentThread().getId());
            for (int i = 0; i < 200; i++) {
                Money estimate = Money.ofNanos(1 + random.nextInt((int) MAX_COST_NANOS));
                Reservation r = gate.reserve(limited(), estimate);
                if (r.decision().denied()) {
                    assertThat(r.decision().reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
                    if (estimate.nanos() <= 1) {
                        return null;
                    }
                    continue;
                }
                assertThat(r.held()).isTrue();
                admitted.addAndGet(estimate.nanos());
                gate.settle(r, UsageEvent.builder("hold-" + ids.incrementAndGet(), USER).apiKeyId(KEY)
                        .totalCost(estimate).occurredAt(q.clock().instant()).build());
            }
            return null;
        });
        gate.flush();
        long used = q.cache().cachedKeyUsage(USER, KEY).orElseThrow().fiveHours().used();
        assertThat(used).isEqualTo(admitted.get());
        assertThat(used).isLessThanOrEqualTo(LIMIT.nanos());
        assertThat(used).as("the limit was nearly reached").isGreaterThan(LIMIT.nanos() - MAX_COST_NANOS);
        assertThat(q.cache().holds(USER)).isEmpty();
    }

    @Test
    void checkThenRecordOverspendsByAtMostThreadsTimesMaxCost() throws Exception {
        warmCache();
        AtomicLong ids = new AtomicLong();
        race(THREADS, () -> {
            Random random = new Random(Thread.currentThread().getId());
            for (int i = 0; i < 200; i++) {
                Decision d = gate.check(limited());
                if (d.denied()) {
                    assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
                    return null;
                }
                Money cost = Money.ofNanos(1 + random.nextInt((int) MAX_COST_NANOS));
                gate.record(UsageEvent.builder("ctr-" + ids.incrementAndGet(), USER).apiKeyId(KEY)
                        .totalCost(cost).occurredAt(q.clock().instant()).build());
            }
            return null;
        });
        gate.flush();
        long used = q.cache().cachedKeyUsage(USER, KEY).orElseThrow().fiveHours().used();
        assertThat(used).isGreaterThanOrEqualTo(LIMIT.nanos());
        assertThat(used).isLessThanOrEqualTo(LIMIT.nanos() + THREADS * MAX_COST_NANOS);
    }
}
