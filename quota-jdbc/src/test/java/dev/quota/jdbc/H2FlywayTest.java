package dev.quota.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FlywaySuite} on an in-memory H2 database (always runs). */
class H2FlywayTest extends FlywaySuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
