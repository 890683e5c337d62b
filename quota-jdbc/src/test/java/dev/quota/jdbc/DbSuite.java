package dev.quota.jdbc;

/**
 * Base of this module's own suites: the database they run on is handed in by the {@link TestDb} registered on the
 * enclosing backend class ({@link JdbcBackendSuite}), before each test.
 */
abstract class DbSuite {

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
