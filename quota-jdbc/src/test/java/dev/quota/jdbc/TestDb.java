package dev.quota.jdbc;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Opens one isolated {@link TestDatabase} (H2 in memory, or a fresh PostgreSQL schema / MariaDB database) before
 * a test class and drops it afterwards. Register it as a static field:
 * {@code @RegisterExtension static final TestDb DB = TestDb.of(Dialect.H2);}. It hands the database to every
 * {@link DbSuite} nested in that class. PostgreSQL and MariaDB classes
 * carry {@code @EnabledIfEnvironmentVariable}, so they do not run without their variable and fail (never
 * skip) when it is set but the server cannot be reached.
 */
final class TestDb implements BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor {

    private final Dialect dialect;
    private TestDatabase db;

    private TestDb(Dialect dialect) {
        this.dialect = dialect;
    }

    static TestDb of(Dialect dialect) {
        return new TestDb(dialect);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabase.open(dialect);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    /** Hands the open database to a {@link DbSuite} nested in the class that registered this extension. */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        if (testInstance instanceof DbSuite suite) {
            suite.attach(get());
        }
    }

    TestDatabase get() {
        if (db == null) {
            throw new IllegalStateException("the test database is not open");
        }
        return db;
    }

    /** An adapter on empty tables with {@code prefix} (installed on first use, emptied on every call). */
    JdbcQuota fresh(String prefix) {
        return fresh(prefix, ZoneOffset.UTC, Clock.systemUTC());
    }

    JdbcQuota fresh(String prefix, ZoneId zone, Clock clock) {
        JdbcQuota quota = get().quota(prefix, zone, clock);
        get().reset(prefix);
        return quota;
    }
}
