package dev.quota.core.limit;

/**
 * Increments a requests-per-minute counter and returns the count including this request. The evaluator
 * calls it only for counters in the {@link RpmPlan}, and only once every earlier check passed, so doomed
 * requests are not counted.
 */
@FunctionalInterface
public interface RpmCounts {
    /**
     * @param scope the counter
     * @return the count in the current minute including this request
     */
    long incrementAndGet(RpmScope scope);
}
