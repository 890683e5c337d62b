package dev.quota.spring.boot;

import dev.quota.core.BillingGate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports {@link BillingGate#health()} as the {@code quota} health component: {@code UP} and {@code DOWN} as they
 * are, {@code DEGRADED} as the configured status ({@code quota.health.degraded-status}, default {@code DOWN}),
 * with the gate's own status, each backend's ping, the breaker and the usage pipeline as details. Thread-safe.
 */
public final class QuotaHealthIndicator implements HealthIndicator {

    private final BillingGate gate;
    private final Status degraded;

    /**
     * @param gate the gate to probe
     * @param degradedStatus the Spring status code reported while the gate is degraded
     * @throws NullPointerException on a null argument
     */
    public QuotaHealthIndicator(BillingGate gate, String degradedStatus) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.degraded = new Status(Objects.requireNonNull(degradedStatus, "degradedStatus"));
    }

    @Override
    public Health health() {
        dev.quota.core.Health h = gate.health();
        Status status = switch (h.status()) {
            case UP -> Status.UP;
            case DOWN -> Status.DOWN;
            case DEGRADED -> degraded;
        };
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("unsettledEvents", h.usagePipeline().unsettledEvents());
        pipeline.put("oldestUnsettledAge", h.usagePipeline().oldestUnsettledAge().toString());
        pipeline.put("deadLetters", h.usagePipeline().deadLetters());
        pipeline.put("droppedCacheWrites", h.usagePipeline().droppedCacheWrites());
        return Health.status(status)
                .withDetail("gate", h.status().name())
                .withDetail("cache", component(h.cache()))
                .withDetail("stores", component(h.stores()))
                .withDetail("breaker", h.breaker().name())
                .withDetail("usagePipeline", pipeline)
                .withDetail("owedEvictions", h.owedEvictions())
                .build();
    }

    private static Map<String, Object> component(dev.quota.core.Health.Component c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", c.status().name());
        m.put("probed", c.probed());
        m.put("detail", c.detail());
        return m;
    }
}
