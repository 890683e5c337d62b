package dev.quota.demo;

import dev.quota.core.BillingGate;
import dev.quota.core.Health;
import dev.quota.core.Reservation;
import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.window.WindowUsage;
import dev.quota.demo.DemoUsers.Model;
import dev.quota.demo.DemoUsers.User;
import dev.quota.demo.RunResult.Traffic;
import dev.quota.demo.RunResult.UserTraffic;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway reselling model APIs, simulated on a {@link dev.quota.testkit.MutableClock}: every ten simulated
 * minutes each user sends a few requests (more by day than by night), which one gateway thread checks, "calls
 * the model" for and records, in user order, so that the same seed gives the same decisions. Part-way through,
 * Redis goes down for one simulated hour; earlier, eight threads race reservations for one user, whose outcome
 * does not depend on the race (each holds and settles the same amount, so exactly balance / amount are
 * admitted). Optionally, {@link #HOLD_AFTER_OUTAGE} after Redis is back, the SQL writer is held back for
 * {@link #HOLD} while traffic goes on, then released.
 */
public final class SimulatedGateway {

    /** Simulated time between two rounds of requests. */
    public static final Duration TICK = Duration.ofMinutes(10);
    /** How long Redis stays down. */
    public static final Duration OUTAGE = Duration.ofHours(1);
    /** How long the SQL writer is held back, when it is. */
    public static final Duration HOLD = Duration.ofHours(1);
    /** How long after Redis is back the writer is held. */
    public static final Duration HOLD_AFTER_OUTAGE = Duration.ofHours(6);
    /** Threads of the reservation burst. */
    public static final int BURST_THREADS = 8;
    /** Reservations each burst thread attempts. */
    public static final int BURST_ATTEMPTS = 8;
    /** What each burst reservation holds and settles. */
    public static final Money BURST_ESTIMATE = Money.parse("0.05");

    /** Relative traffic by local hour of day. */
    private static final double[] DAY_SHAPE = {0.25, 0.2, 0.15, 0.15, 0.15, 0.2, 0.3, 0.5, 0.8, 1.0, 1.0, 0.9,
        0.8, 0.9, 1.0, 1.0, 0.95, 0.85, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3};

    private final DemoEnvironment env;
    private final int days;
    private final long seed;
    private final List<User> users;
    private final Random random;
    private final Progress progress;
    private final DecisionTally outcomes = new DecisionTally();
    private final Map<Long, long[]> decisions = new TreeMap<>();
    private final Map<Long, Traffic> recorded = new TreeMap<>();
    private final Map<Long, Map<String, Long>> denials = new TreeMap<>();
    private final Map<String, Traffic> perModel = new TreeMap<>();
    private final List<Traffic> hourly = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final DecisionTally outageTally = new DecisionTally();
    private final boolean holdWriter;
    private final DecisionTally holdTally = new DecisionTally();
    private Traffic holdTraffic = Traffic.NONE;
    private volatile boolean redisDown;
    private volatile boolean writerHeld;
    private Instant start;
    private Money maxCharge = Money.ZERO;
    private RunResult.RoundTripSample measured;

    /**
     * @param env the environment
     * @param days simulated days, at least 1
     * @param usersCount users, at least 20
     * @param seed the random seed (same seed, same users and traffic)
     * @param progress where progress goes
     */
    public SimulatedGateway(DemoEnvironment env, int days, int usersCount, long seed, Progress progress) {
        this(env, days, usersCount, seed, false, progress);
    }

    /**
     * @param env the environment; started with a holdable writer when {@code holdWriter}
     * @param days simulated days, at least 1
     * @param usersCount users, at least 20
     * @param seed the random seed (same seed, same users and traffic)
     * @param holdWriter whether the SQL writer is held back for {@link #HOLD} part-way
     * @param progress where progress goes
     */
    public SimulatedGateway(DemoEnvironment env, int days, int usersCount, long seed, boolean holdWriter,
                            Progress progress) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1: " + days);
        }
        this.env = env;
        this.days = days;
        this.seed = seed;
        List<User> all = new ArrayList<>(DemoUsers.draw(usersCount, seed));
        all.add(DemoUsers.burstUser());
        this.users = List.copyOf(all);
        this.random = new Random(seed);
        this.progress = progress;
        this.holdWriter = holdWriter;
    }

    /** @return the users, the burst user last */
    public List<User> users() {
        return users;
    }

    /** Gives every user their starting balance or subscription, and sets the platform quota defaults. */
    void provision() {
        Instant now = env.clock().instant();
        for (User u : users) {
            if (u.subscriber()) {
                env.sql().subscriptions().save(new SubscriptionState(u.id(), u.plan().groupId(),
                        SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(60)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                        WindowUsage.EMPTY));
            } else {
                env.sql().balances().set(u.id(), u.startBalance());
            }
        }
        env.gate().replacePlatformQuotaDefaults(DemoUsers.PLATFORM_DEFAULTS);
    }

    /**
     * Runs the simulation.
     *
     * @return what happened
     * @throws Exception when the burst fails
     */
    public RunResult run() throws Exception {
        provision();
        warmUp();
        start = env.clock().instant();
        long ticks = Duration.ofDays(days).dividedBy(TICK);
        long burstTick = ticks / 4 + 3;
        long outageFrom = ticks / 2 + 2;
        long outageTo = outageFrom + OUTAGE.dividedBy(TICK);
        long holdFrom = holdWriter ? outageTo + HOLD_AFTER_OUTAGE.dividedBy(TICK) : -1;
        long holdTo = holdWriter ? holdFrom + HOLD.dividedBy(TICK) : -1;
        if (holdWriter && holdTo >= ticks) {
            throw new IllegalArgumentException("the writer hold does not fit in " + days + " day(s)");
        }
        HoldStart held = null;
        RunResult.WriterHold writerHold = null;
        RunResult.Burst burst = null;
        Instant down = null;
        Instant up = null;
        String healthWhileDown = null;
        long storesBefore = 0;
        long storesDuring = 0;
        for (long t = 0; t < ticks; t++) {
            if (t == outageFrom) {
                env.gate().flush();
                storesBefore = env.gate().metrics().synchronousStores();
                env.stopRedis();
                down = env.clock().instant();
                redisDown = true;
                healthWhileDown = env.gate().health().status().name();
            }
            if (t == outageTo) {
                storesDuring = env.gate().metrics().synchronousStores() - storesBefore;
                env.restartRedis();
                up = env.clock().instant();
                redisDown = false;
            }
            if (t == holdFrom) {
                held = holdWriter();
            }
            if (t == holdTo) {
                writerHold = releaseWriter(held);
            }
            tick();
            // Ten simulated minutes pass between ticks, far more than a real writer's lag: let the SQL ledger
            // catch up before the clock moves, whatever this machine's speed (not while it is held back).
            if (!writerHeld) {
                env.writer().flush();
            }
            if (t == burstTick) {
                burst = burst();
            }
            progress.step(t + 1, ticks, env.clock().instant());
            if (t + 1 < ticks) {
                env.clock().advance(TICK);
            }
        }
        env.gate().flush();
        progress.done();
        Map<String, Map<String, Long>> runTrips = env.roundTrips().byOperation();
        measureRoundTrips();
        RunResult.Outage outage = new RunResult.Outage(down, up, env.embeddedRedis()
                ? "embedded redis-server killed, restarted empty on the same port"
                : "connections to the given Redis cut at the relay, then restored (the server keeps its data)",
                outageTally, storesDuring, healthWhileDown, env.gate().health().status().name());
        Map<Long, UserTraffic> perUser = new LinkedHashMap<>();
        for (User u : users) {
            long[] n = decisions.getOrDefault(u.id(), new long[1]);
            perUser.put(u.id(), new UserTraffic(n[0], recorded.getOrDefault(u.id(), Traffic.NONE),
                    denials.getOrDefault(u.id(), Map.of())));
        }
        long recordedCount = recorded.values().stream().mapToLong(Traffic::requests).sum();
        return new RunResult(seed, users, perUser, perModel, hourly, outcomes, outage, burst, recordedCount,
                maxCharge, start, start.plus(Duration.ofDays(days)), runTrips, measured, writerHold);
    }

    /** What was read as the writer was held. */
    private record HoldStart(Instant at, long rows, long outbox) {
    }

    /**
     * Lets the writer catch up and acknowledge, loads every user's entries into Redis, reads the ledger and
     * outbox, then holds the writer. The entries are loaded so that every check of the hold is answered from
     * Redis: a check that missed Redis would read SQL, and for a user with an event in the batch the writer is
     * stuck on (told as committing) it would wait out the gate's load timeout before answering conservatively
     * (the same answer here, as the batch is not in SQL, but seconds of wall-clock time each).
     */
    private HoldStart holdWriter() {
        env.gate().flush();
        env.dropDirtyMarkers();
        warmUp();
        HoldStart h = new HoldStart(env.clock().instant(), ledgerRows(), env.cache().usageOutbox().size());
        env.heldLedger().hold();
        writerHeld = true;
        return h;
    }

    /**
     * Reads what waited (the peak: nothing settles during the hold), releases the writer and lets it catch up
     * before the clock moves on.
     */
    private RunResult.WriterHold releaseWriter(HoldStart h) {
        long rowsAtRelease = ledgerRows();
        long outboxAtPeak = env.cache().usageOutbox().size();
        Health health = env.gate().health();
        Health.UsagePipeline pipeline = health.usagePipeline();
        env.heldLedger().release();
        writerHeld = false;
        env.gate().flush();
        long recordedSoFar;
        synchronized (this) {
            recordedSoFar = recorded.values().stream().mapToLong(Traffic::requests).sum();
        }
        return new RunResult.WriterHold(h.at(), env.clock().instant(), holdTally, holdTraffic, h.rows(),
                rowsAtRelease, ledgerRows(), recordedSoFar, h.outbox(), outboxAtPeak,
                env.cache().usageOutbox().size(), pipeline.unsettledEvents(), pipeline.oldestUnsettledAge(),
                pipeline.status().name(), health.status().name(), env.heldLedger().waitedCalls());
    }

    private long ledgerRows() {
        return env.sql().reports().totals(UsageFilter.all()).requests();
    }

    private void tick() {
        int hourOfDay = env.clock().instant().atZone(DemoEnvironment.ZONE).getHour();
        for (User u : users) {
            if (u.draws() == 0) {
                continue;
            }
            int n = 0;
            for (int i = 0; i < u.draws(); i++) {
                if (random.nextDouble() < u.activity() * DAY_SHAPE[hourOfDay]) {
                    n++;
                }
            }
            for (int i = 0; i < n; i++) {
                handle(u);
            }
        }
    }

    /**
     * One more round after the run, on a warm cache, whose round trips are counted alone: every user sends one
     * request (check, and record when allowed), and one user reserves and releases. Dirty markers are dropped,
     * every entry refilled and the reservation's script loaded first (one reservation, released), so the counts
     * do not depend on this machine's speed nor on whether the server restarted during the run.
     */
    private void measureRoundTrips() {
        env.dropDirtyMarkers();
        warmUp();
        User first = users.get(0);
        env.gate().release(env.gate().reserve(request(first, false), Money.parse("0.001")));
        env.roundTrips().reset();
        for (User u : users) {
            if (u.draws() > 0) {
                handle(u);
            }
        }
        User holder = users.get(0);
        Reservation r = env.roundTrips().during("reserve", () -> env.gate().reserve(request(holder, false),
                Money.parse("0.001")));
        env.roundTrips().run("release", () -> env.gate().release(r));
        Map<String, Map<String, Long>> trips = env.roundTrips().byOperation();
        trips.remove(RoundTrips.BACKGROUND);
        Map<String, Long> calls = new TreeMap<>();
        trips.keySet().forEach(op -> calls.put(op, env.roundTrips().calls(op)));
        measured = new RunResult.RoundTripSample(trips, calls);
        env.gate().flush();
    }

    /**
     * Loads every user's entries into Redis before traffic starts, with checks that count no RPM. A cold
     * entry is refilled on its first miss, but a refill is refused for as long as usage keeps meeting the
     * entry absent (dirty markers are re-armed by each such record), so a user whose first record beats the
     * first refill would be read from SQL for the whole run.
     */
    private void warmUp() {
        for (User u : users) {
            env.roundTrips().during("warm-up check", () -> env.gate().check(request(u, false)));
        }
        env.gate().flush();
    }

    private void handle(User u) {
        BillingGate gate = env.gate();
        Model model = random.nextInt(5) == 0 ? sibling(u.model()) : u.model();
        long input = 200 + random.nextInt((int) DemoUsers.MAX_INPUT - 199);
        long output = 50 + random.nextInt((int) DemoUsers.MAX_OUTPUT - 49);
        Money cost = Money.ofCharge(model.inputPerToken().multiply(BigDecimal.valueOf(input))
                .add(model.outputPerToken().multiply(BigDecimal.valueOf(output))), RoundingMode.HALF_UP);
        CheckRequest request = request(u, true);
        Decision d = env.roundTrips().during("check", () -> gate.check(request));
        count(u, d);
        if (d.allowed()) {
            UsageEvent e = event(u, model, cost, input, output);
            env.roundTrips().run("record", () -> gate.record(e));
            tally(u, model, cost, input + output);
        }
    }

    private synchronized void count(User u, Decision d) {
        outcomes.count(u.id(), d);
        if (redisDown) {
            outageTally.count(u.id(), d);
        }
        if (writerHeld) {
            holdTally.count(u.id(), d);
        }
        decisions.computeIfAbsent(u.id(), k -> new long[1])[0]++;
        if (d.denied()) {
            denials.computeIfAbsent(u.id(), k -> new TreeMap<>()).merge(d.reason().code(), 1L, Long::sum);
        }
    }

    private synchronized void tally(User u, Model model, Money cost, long tokens) {
        recorded.merge(u.id(), Traffic.NONE.plus(cost, tokens), (a, b) -> a.plus(cost, tokens));
        perModel.merge(model.name(), Traffic.NONE.plus(cost, tokens), (a, b) -> a.plus(cost, tokens));
        int hour = (int) Duration.between(start, env.clock().instant()).toHours();
        while (hourly.size() <= hour) {
            hourly.add(Traffic.NONE);
        }
        hourly.set(hour, hourly.get(hour).plus(cost, tokens));
        maxCharge = Money.max(maxCharge, cost);
        if (writerHeld) {
            holdTraffic = holdTraffic.plus(cost, tokens);
        }
    }

    private static Model sibling(Model m) {
        for (Model other : DemoUsers.MODELS) {
            if (other.platform().equals(m.platform()) && !other.name().equals(m.name())) {
                return other;
            }
        }
        return m;
    }

    /**
     * Eight threads race reservations for the burst user; each admitted one is settled at its estimate.
     */
    private RunResult.Burst burst() throws Exception {
        User u = DemoUsers.burstUser();
        DecisionTally tally = new DecisionTally();
        AtomicLong admitted = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(BURST_THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < BURST_THREADS; t++) {
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < BURST_ATTEMPTS; i++) {
                        Reservation r = env.roundTrips().during("reserve",
                                () -> env.gate().reserve(request(u, true), BURST_ESTIMATE));
                        tally.count(u.id(), r.decision());
                        count(u, r.decision());
                        if (r.allowed()) {
                            UsageEvent e = event(u, u.model(), BURST_ESTIMATE, 1000, 100);
                            env.roundTrips().run("settle", () -> env.gate().settle(r, e));
                            tally(u, u.model(), BURST_ESTIMATE, 1100);
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        env.gate().flush();
        return new RunResult.Burst(env.clock().instant(), BURST_THREADS, BURST_THREADS * BURST_ATTEMPTS,
                BURST_ESTIMATE, admitted.get(), tally);
    }

    /**
     * @param u a user
     * @param countRpm whether the check counts towards the RPM limits
     * @return the user's request
     */
    static CheckRequest request(User u, boolean countRpm) {
        CheckRequest.Builder b = CheckRequest.builder(u.id()).authSource(u.authSource())
                .apiKey(u.apiKeyId(), u.keyLimits()).userRpmLimit(countRpm ? u.rpmLimit() : Limit.unlimited())
                .noGroupRpmOverride().platform(u.model().platform());
        if (u.subscriber()) {
            b.subscriptionGroup(u.plan().groupId(), u.plan().limits(), Limit.unlimited()).subscribed(true);
        } else {
            b.group(u.plan().groupId(), countRpm ? u.plan().groupRpm() : Limit.unlimited());
        }
        return b.build();
    }

    private UsageEvent event(User u, Model model, Money cost, long input, long output) {
        return UsageEvent.builder("demo-" + requestIds.incrementAndGet(), u.id()).apiKeyId(u.apiKeyId())
                .groupId(u.plan().groupId())
                .billingMode(u.subscriber() ? BillingMode.SUBSCRIPTION : BillingMode.BALANCE)
                .platform(model.platform()).model(model.name()).accountId(model.accountId())
                .tokens(input, output, 0, 0).totalCost(cost).responseTimeMs(300 + input / 10)
                .occurredAt(env.clock().instant()).build();
    }
}
