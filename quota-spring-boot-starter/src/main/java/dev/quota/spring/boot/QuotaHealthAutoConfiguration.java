package dev.quota.spring.boot;

import dev.quota.core.BillingGate;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link QuotaHealthIndicator} (the {@code quota} health component) when Spring Boot Actuator is on the
 * class path and a {@link BillingGate} bean exists. Backs off when a bean named {@code quotaHealthIndicator} exists.
 */
@AutoConfiguration(after = QuotaAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(BillingGate.class)
public class QuotaHealthAutoConfiguration {

    /** Used by Spring. */
    public QuotaHealthAutoConfiguration() {
    }

    /**
     * @param gate the gate
     * @param properties the properties ({@code quota.health.degraded-status})
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "quotaHealthIndicator")
    public QuotaHealthIndicator quotaHealthIndicator(BillingGate gate, QuotaProperties properties) {
        return new QuotaHealthIndicator(gate, properties.health().degradedStatus());
    }
}
