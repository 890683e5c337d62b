package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every contract and suite of {@link JdbcBackendSuite} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
class MariaDbBackendTest extends JdbcBackendSuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    MariaDbBackendTest() {
        super(DB);
    }
}
