package dev.quota.core.limit;

import dev.quota.core.Limit;

/**
 * Which requests-per-minute counters a request increments and against which caps: the user × group
 * counter (the override replaces the group's limit; override 0 exempts) and the user's global counter.
 *
 * @param groupLimit the cap of the user × group counter, or {@code null} when it is not counted
 * @param userLimit the cap of the user's global counter, or {@code null} when it is not counted
 */
public record RpmPlan(Limit groupLimit, Limit userLimit) {

    /** Nothing to count. */
    public static final RpmPlan NONE = new RpmPlan(null, null);

    /** @return true when no counter is touched */
    public boolean isEmpty() {
        return groupLimit == null && userLimit == null;
    }

    /**
     * @param scope the counter
     * @return its cap, or {@code null} when it is not counted
     */
    public Limit limit(RpmScope scope) {
        return scope == RpmScope.GROUP ? groupLimit : userLimit;
    }
}
