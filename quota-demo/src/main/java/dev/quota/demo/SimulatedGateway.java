package dev.quota.demo;

import dev.quota.core.BillingGate;
import dev.quota.core.Reservation;
import dev.quota.core.decision.Decision;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.KeyLimits;
import dev.quota.core.limit.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.money.Money;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gateway reselling model APIs, simulated: four users with different plans send requests every ten
 * simulated minutes for a number of days; four gateway workers check each request, "call the model", and
 * record its cost (one user spends through reservations). Time is a {@link dev.quota.testkit.MutableClock},
 * so days pass in seconds and windows roll over at local midnight and on Monday.
 */
public final class SimulatedGateway {

    /** A demo user and the shape of their traffic. */
    record User(long id, String name, String authSource, long apiKeyId, KeyLimits keyLimits, String platform,
                boolean subscriber, boolean reserves, int requestsPerTick, Limit rpmLimit) {
    }

    static final long GROUP_STANDARD = 10;
    static final long GROUP_PRO = 20;
    static final PeriodLimits PRO_LIMITS = new PeriodLimits(Limit.of(Money.parse("3")), Limit.of(Money.parse("15")),
            Limit.of(Money.parse("50")));
    static final List<User> USERS = List.of(
            new User(1, "alice", "email", 101, new KeyLimits(Limit.of(Money.parse("0.8")), Limit.unlimited(),
                    Limit.unlimited()), "anthropic", false, false, 2, Limit.unlimited()),
            new User(2, "bob", "oidc", 102, KeyLimits.UNLIMITED, "openai", true, false, 2, Limit.unlimited()),
            new User(3, "carol", "github", 103, KeyLimits.UNLIMITED, "anthropic", false, true, 2, Limit.unlimited()),
            new User(4, "dave", "email", 104, KeyLimits.UNLIMITED, "openai", false, false, 5, Limit.of(3)));

    private static final BigDecimal INPUT_PER_TOKEN = new BigDecimal("0.000003");
    private static final BigDecimal OUTPUT_PER_TOKEN = new BigDecimal("0.000015");
    private static final Duration TICK = Duration.ofMinutes(10);

    private final DemoEnvironment env;
    private final int days;
    private final Random random;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> recorded = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();

    /**
     * @param env the environment
     * @param days simulated days, at least 1
     * @param seed the random seed (same seed, same traffic)
     */
    public SimulatedGateway(DemoEnvironment env, int days, long seed) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1: " + days);
        }
        this.env = env;
        this.days = days;
        this.random = new Random(seed);
    }

    /** Gives every user their starting balance, subscription and quota defaults. */
    void provision() {
        Instant now = env.clock().instant();
        env.sql().balances().set(1, Money.parse("20"));
        env.sql().balances().set(3, Money.parse("1"));
        env.sql().balances().set(4, Money.parse("50"));
        env.sql().subscriptions().save(new SubscriptionState(2, GROUP_PRO, SubscriptionStatus.ACTIVE,
                now.plus(Duration.ofDays(30)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));
        env.gate().replacePlatformQuotaDefaults(PlatformQuotaDefaults.builder()
                .system("anthropic", new PeriodLimits(Limit.of(Money.parse("5")), Limit.unlimited(), Limit.unlimited()))
                .source("github", "anthropic", new PeriodLimits(Limit.of(Money.parse("0.4")), Limit.unlimited(),
                        Limit.unlimited()))
                .build());
    }

    /**
     * Runs the simulation.
     *
     * @return what happened
     * @throws Exception when a worker fails
     */
    public DemoReport run() throws Exception {
        provision();
        warmUp();
        Instant start = env.clock().instant();
        long ticks = Duration.ofDays(days).dividedBy(TICK);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        try {
            for (long t = 0; t < ticks; t++) {
                List<Future<?>> inFlight = new ArrayList<>();
                for (User u : USERS) {
                    for (int i = 0; i < u.requestsPerTick(); i++) {
                        long seed = random.nextLong();
                        inFlight.add(workers.submit(() -> handle(u, new Random(seed))));
                    }
                }
                for (Future<?> f : inFlight) {
                    f.get(60, TimeUnit.SECONDS);
                }
                // Ten simulated minutes pass between ticks, far more than a real writer's lag: let the SQL
                // ledger catch up before the clock moves, whatever this machine's speed.
                env.writer().flush();
                env.clock().advance(TICK);
            }
        } finally {
            workers.shutdown();
        }
        env.gate().flush();
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        return DemoReport.collect(env, start, env.clock().instant(), snapshot(outcomes), recordedCounts(), elapsedMillis);
    }

    /**
     * Loads every user's entries into Redis before traffic starts, with checks that count no RPM. A cold
     * entry is refilled on its first miss, but a refill is refused for as long as usage keeps meeting the
     * entry absent (dirty markers are re-armed by each such record), so a user whose first record beats the
     * first refill would be read from SQL for the whole run.
     */
    private void warmUp() {
        for (User u : USERS) {
            env.gate().check(request(u, false));
        }
        env.gate().flush();
    }

    private void handle(User u, Random r) {
        BillingGate gate = env.gate();
        CheckRequest request = request(u);
        long input = 200 + r.nextInt(4000);
        long output = 50 + r.nextInt(1500);
        Money cost = Money.ofCharge(INPUT_PER_TOKEN.multiply(BigDecimal.valueOf(input))
                .add(OUTPUT_PER_TOKEN.multiply(BigDecimal.valueOf(output))), RoundingMode.HALF_UP);
        if (u.reserves()) {
            Reservation reservation = gate.reserve(request, Money.parse("0.05"));
            count(reservation.decision());
            if (reservation.allowed()) {
                gate.settle(reservation, event(u, Money.min(cost, Money.parse("0.05")), input, output));
                recorded.computeIfAbsent(u.id(), k -> new LongAdder()).increment();
            }
            return;
        }
        Decision d = gate.check(request);
        count(d);
        if (d.allowed()) {
            gate.record(event(u, cost, input, output));
            recorded.computeIfAbsent(u.id(), k -> new LongAdder()).increment();
        }
    }

    static CheckRequest request(User u) {
        return request(u, true);
    }

    private static CheckRequest request(User u, boolean countRpm) {
        CheckRequest.Builder b = CheckRequest.builder(u.id()).authSource(u.authSource())
                .apiKey(u.apiKeyId(), u.keyLimits()).userRpmLimit(countRpm ? u.rpmLimit() : Limit.unlimited())
                .noGroupRpmOverride().platform(u.platform());
        if (u.subscriber()) {
            b.subscriptionGroup(GROUP_PRO, PRO_LIMITS, Limit.unlimited()).subscribed(true);
        } else {
            b.group(GROUP_STANDARD, countRpm ? Limit.of(600) : Limit.unlimited());
        }
        return b.build();
    }

    private UsageEvent event(User u, Money cost, long input, long output) {
        return UsageEvent.builder("demo-" + requestIds.incrementAndGet(), u.id()).apiKeyId(u.apiKeyId())
                .groupId(u.subscriber() ? GROUP_PRO : GROUP_STANDARD)
                .billingMode(u.subscriber() ? BillingMode.SUBSCRIPTION : BillingMode.BALANCE)
                .platform(u.platform()).model(u.platform().equals("openai") ? "gpt-4.1" : "claude-sonnet-4")
                .accountId(u.platform().equals("openai") ? 900 : 901)
                .tokens(input, output, 0, 0).totalCost(cost).responseTimeMs(300 + input / 10)
                .occurredAt(env.clock().instant()).build();
    }

    private void count(Decision d) {
        String key = d.allowed() ? "ALLOWED" : d.reason().code();
        outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private Map<Long, Long> recordedCounts() {
        Map<Long, Long> out = new TreeMap<>();
        recorded.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
