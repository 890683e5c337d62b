package dev.quota.micrometer;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.Health;
import dev.quota.core.QuotaListener;
import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.UsageEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one {@link BillingGate}. It is both the gate's {@link QuotaListener} (events: decisions,
 * cache hits, misses and fallbacks, recovered usage) and a {@link MeterBinder} (the gate's counters and health
 * as function counters and gauges):
 *
 * <pre>{@code
 * QuotaMetrics metrics = QuotaMetrics.create();
 * BillingGate gate = BillingGate.builder() ... .listener(metrics).build();
 * metrics.monitor(gate).bindTo(meterRegistry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters (all with the common tags given to {@link #create(Iterable)})</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code quota.decisions}</td><td>counter</td><td>{@code outcome} (allowed, denied), {@code reason}
 *       (deny code, {@code none} when allowed), {@code status} (HTTP status)</td><td>checks and reservations decided</td></tr>
 *   <tr><td>{@code quota.cache.requests}</td><td>counter</td><td>{@code kind} (balance, subscription, ...),
 *       {@code result} (hit, miss, fallback)</td><td>cache lookups by outcome</td></tr>
 *   <tr><td>{@code quota.breaker.state}</td><td>gauge</td><td>{@code state} (closed, open, half_open)</td>
 *       <td>1 for the breaker's current state, 0 for the others</td></tr>
 *   <tr><td>{@code quota.cache.writes}</td><td>function counter</td><td>{@code result} (dropped, synchronous,
 *       failed, timed_out)</td><td>write-pool drops and the rest of {@link BillingGate.GateMetrics}</td></tr>
 *   <tr><td>{@code quota.usage.unsettled}</td><td>gauge</td><td></td><td>usage events not yet stored (lag)</td></tr>
 *   <tr><td>{@code quota.usage.unsettled.oldest}</td><td>time gauge</td><td></td><td>age of the oldest of them</td></tr>
 *   <tr><td>{@code quota.usage.dead.letters}</td><td>function counter</td><td></td><td>events refused as data</td></tr>
 *   <tr><td>{@code quota.usage.recovered}</td><td>counter</td><td></td><td>events of dead instances recovered</td></tr>
 *   <tr><td>{@code quota.health}</td><td>gauge</td><td></td><td>0 up, 1 degraded, 2 down</td></tr>
 * </table>
 *
 * <p>The usage and health gauges read {@link BillingGate#health()}, which pings the backends; to keep a scrape
 * cheap the snapshot is reused for {@link #healthMaxAge} (default 10 s, real time). Before {@link #monitor} the
 * gauges read 0. Thread-safe; listener callbacks are a map lookup and an increment each.
 */
public final class QuotaMetrics implements MeterBinder, QuotaListener {

    private final Tags tags;
    private volatile MeterRegistry registry;
    private volatile BillingGate gate;
    private volatile Duration healthMaxAge = Duration.ofSeconds(10);
    private final Object healthLock = new Object();
    private Health lastHealth;
    private long lastHealthNanos;

    private QuotaMetrics(Tags tags) {
        this.tags = tags;
    }

    /** @return metrics without common tags */
    public static QuotaMetrics create() {
        return new QuotaMetrics(Tags.empty());
    }

    /**
     * @param commonTags tags added to every meter (e.g. {@code gate=public-api})
     * @return metrics with those tags
     * @throws NullPointerException if {@code commonTags} is null
     */
    public static QuotaMetrics create(Iterable<Tag> commonTags) {
        return new QuotaMetrics(Tags.of(Objects.requireNonNull(commonTags, "commonTags")));
    }

    /**
     * The gate whose counters and health the gauges read (the gate built with this as its listener).
     *
     * @param gate the gate
     * @return this
     * @throws NullPointerException if {@code gate} is null
     */
    public QuotaMetrics monitor(BillingGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
        return this;
    }

    /**
     * @param maxAge how long a health snapshot is reused by the gauges, not negative (default 10 s)
     * @return this
     * @throws IllegalArgumentException if {@code maxAge} is null or negative
     */
    public QuotaMetrics healthMaxAge(Duration maxAge) {
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
        }
        this.healthMaxAge = maxAge;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Objects.requireNonNull(r, "registry");
        this.registry = r;
        for (BreakerState state : BreakerState.values()) {
            Gauge.builder("quota.breaker.state", this, m -> m.breakerState() == state ? 1 : 0)
                    .tags(tags).tag("state", lower(state.name()))
                    .description("1 for the billing circuit breaker's current state").register(r);
        }
        cacheWrites(r, "dropped", m -> m.droppedCacheWrites());
        cacheWrites(r, "synchronous", m -> m.synchronousCacheWrites());
        cacheWrites(r, "failed", m -> m.failedCacheWrites());
        cacheWrites(r, "timed_out", m -> m.timedOutCacheWrites());
        FunctionCounter.builder("quota.usage.dead.letters", this, m -> m.gateMetric(g -> g.rejectedUsage()))
                .tags(tags).description("recorded events the store refused as data").register(r);
        Gauge.builder("quota.usage.unsettled", this, m -> m.health(h -> h.usagePipeline().unsettledEvents()))
                .tags(tags).description("usage events handed to the sink and not yet stored").register(r);
        TimeGauge.builder("quota.usage.unsettled.oldest", this, TimeUnit.MILLISECONDS,
                        m -> m.health(h -> h.usagePipeline().oldestUnsettledAge().toMillis()))
                .tags(tags).description("age of the oldest usage event not yet stored").register(r);
        Gauge.builder("quota.health", this, m -> m.health(h -> h.status().ordinal()))
                .tags(tags).description("0 up, 1 degraded, 2 down").register(r);
        r.counter("quota.usage.recovered", tags); // present from the start, like the other meters
    }

    private void cacheWrites(MeterRegistry r, String result, ToDoubleFunction<BillingGate.GateMetrics> f) {
        FunctionCounter.builder("quota.cache.writes", this, m -> m.gateMetric(f))
                .tags(tags).tag("result", result).description("cache writes of the gate's write pool").register(r);
    }

    @Override
    public void onDecision(CheckRequest request, Decision decision) {
        MeterRegistry r = registry;
        if (r != null) {
            String reason = decision.allowed() ? "none" : decision.reason().code();
            r.counter("quota.decisions", tags.and("outcome", decision.allowed() ? "allowed" : "denied",
                    "reason", reason, "status", Integer.toString(decision.httpStatus()))).increment();
        }
    }

    @Override
    public void onCacheHit(CheckKind kind) {
        cache(kind, "hit");
    }

    @Override
    public void onCacheMiss(CheckKind kind) {
        cache(kind, "miss");
    }

    @Override
    public void onFallback(CheckKind kind, Throwable cause) {
        cache(kind, "fallback");
    }

    @Override
    public void onUsageRecovered(UsageEvent event) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter("quota.usage.recovered", tags).increment();
        }
    }

    private void cache(CheckKind kind, String result) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter("quota.cache.requests", tags.and("kind", lower(kind.name()), "result", result)).increment();
        }
    }

    private BreakerState breakerState() {
        BillingGate g = gate;
        return g == null ? BreakerState.CLOSED : g.metrics().breakerState();
    }

    private double gateMetric(ToDoubleFunction<BillingGate.GateMetrics> f) {
        BillingGate g = gate;
        return g == null ? 0 : f.applyAsDouble(g.metrics());
    }

    private double health(ToDoubleFunction<Health> f) {
        BillingGate g = gate;
        if (g == null) {
            return 0;
        }
        synchronized (healthLock) {
            long now = System.nanoTime();
            if (lastHealth == null || now - lastHealthNanos > healthMaxAge.toNanos()) {
                try {
                    lastHealth = g.health();
                } catch (IllegalStateException closed) {
                    return Double.NaN;
                }
                lastHealthNanos = now;
            }
            return f.applyAsDouble(lastHealth);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
