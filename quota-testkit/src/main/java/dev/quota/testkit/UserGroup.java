package dev.quota.testkit;

/** The key of the fakes that hold one value per user and group (subscriptions, RPM overrides). */
record UserGroup(long userId, long groupId) {
}
