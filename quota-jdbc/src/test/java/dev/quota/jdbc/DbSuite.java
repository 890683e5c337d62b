package dev.quota.jdbc;

import java.time.ZoneId;

/**
 * Base of this module's own suites: the database they run on is handed in by the {@link TestDb} registered on the
 * enclosing backend class ({@link JdbcBackendSuite}), before each test.
 */
abstract class DbSuite {

    /** The business zone of the suites that need one (its midnight is not UTC's). */
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private TestDatabase database;

    /** The backend's isolated database. */
    final TestDatabase db() {
        if (database == null) {
            throw new IllegalStateException(getClass().getName() + " runs only nested in a JdbcBackendSuite");
        }
        return database;
    }

    final void attach(TestDatabase database) {
        this.database = database;
    }
}
