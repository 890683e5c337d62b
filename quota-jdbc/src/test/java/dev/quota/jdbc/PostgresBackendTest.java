package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every contract and suite of {@link JdbcBackendSuite} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
class PostgresBackendTest extends JdbcBackendSuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    PostgresBackendTest() {
        super(DB);
    }
}
