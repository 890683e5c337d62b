package dev.quota.core.limit;

/** The two requests-per-minute counters a request may touch. */
public enum RpmScope {
    /** The user × group counter (limited by the override, else the group's limit). */
    GROUP,
    /** The user's global counter. */
    USER
}
