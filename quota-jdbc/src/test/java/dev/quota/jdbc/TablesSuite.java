package dev.quota.jdbc;

import org.junit.jupiter.api.BeforeEach;

/**
 * A suite on tables of its own: before each test, {@link #quota} is a fresh adapter over the tables named with the
 * suite's prefix, and those tables are emptied.
 */
abstract class TablesSuite extends DbSuite {

    private final String prefix;

    /** The adapter over this suite's tables, fresh for each test. */
    JdbcQuota quota;

    TablesSuite(String prefix) {
        this.prefix = prefix;
    }

    @BeforeEach
    final void freshTables() {
        quota = db().quota(prefix);
        db().reset(prefix);
    }
}
