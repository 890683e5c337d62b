package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link InvalidRowSuite} on an in-memory H2 database (always runs). */
class H2InvalidRowTest extends InvalidRowSuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
