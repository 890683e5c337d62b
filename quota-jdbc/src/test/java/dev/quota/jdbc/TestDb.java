package dev.quota.jdbc;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives each test class an isolated {@link TestDatabase} (H2 in memory, or a fresh PostgreSQL schema / MariaDB
 * database), opened on first use and dropped when the class ends; for a backend class of {@link JdbcBackendSuite},
 * each of its nested classes gets its own. Register it as a static field:
 * {@code @RegisterExtension static final TestDb DB = TestDb.of(Dialect.H2);}. It hands the database to every
 * {@link DbSuite} nested in that class. H2 always runs; a PostgreSQL or MariaDB class runs only when its variable
 * ({@value TestDatabase#POSTGRES_ENV}, {@value TestDatabase#MYSQL_ENV}) is set, and then fails (never skips)
 * when the server cannot be reached.
 */
final class TestDb implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor {

    private final Dialect dialect;
    /** One slot per class being run (a backend class, then the nested class inside it); opened on first use. */
    private final Deque<TestDatabase[]> open = new ArrayDeque<>();

    private TestDb(Dialect dialect) {
        this.dialect = dialect;
    }

    static TestDb of(Dialect dialect) {
        return new TestDb(dialect);
    }

    /** Enables the class when its database is configured: always for H2, else when its variable is set. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String env = switch (dialect) {
            case H2 -> null;
            case POSTGRESQL -> TestDatabase.POSTGRES_ENV;
            case MYSQL -> TestDatabase.MYSQL_ENV;
        };
        if (env == null) {
            return ConditionEvaluationResult.enabled("H2 runs in memory");
        }
        String url = System.getenv(env);
        return url == null || url.isBlank()
                ? ConditionEvaluationResult.disabled(env + " is not set")
                : ConditionEvaluationResult.enabled(env + " is set");
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        open.push(new TestDatabase[1]);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        TestDatabase[] slot = open.pop();
        if (slot[0] != null) {
            slot[0].close();
        }
    }

    /** Hands the open database to a {@link DbSuite} nested in the class that registered this extension. */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        if (testInstance instanceof DbSuite suite) {
            suite.attach(get());
        }
    }

    /**
     * The database of the innermost class being run: every nested class of a backend class gets an isolated
     * database of its own, opened when it first asks (the backend class itself opens none).
     */
    synchronized TestDatabase get() {
        TestDatabase[] slot = open.peek();
        if (slot == null) {
            throw new IllegalStateException("the test database is not open");
        }
        if (slot[0] == null) {
            slot[0] = TestDatabase.open(dialect);
        }
        return slot[0];
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
