package dev.quota.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FlywaySuite} on MariaDB, in a database of its own, when {@code QUOTA_TEST_MYSQL_URL} is set. */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbFlywayTest extends FlywaySuite {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
