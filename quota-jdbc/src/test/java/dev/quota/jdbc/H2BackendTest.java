package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Every contract and suite of {@link JdbcBackendSuite} on an in-memory H2 database (always runs). */
class H2BackendTest extends JdbcBackendSuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    H2BackendTest() {
        super(DB);
    }
}
