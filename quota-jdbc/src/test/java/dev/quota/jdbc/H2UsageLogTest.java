package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsageLogSuite} on an in-memory H2 database (always runs). */
class H2UsageLogTest extends UsageLogSuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
