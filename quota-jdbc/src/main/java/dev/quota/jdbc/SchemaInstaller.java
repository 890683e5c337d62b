package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and upgrades Quota's tables for embedded use, as Flyway would: the versioned scripts
 * {@code db/quota/<dialect>/V<n>__<description>.sql} are applied in order when missing, and each applied
 * version is recorded in {@code <prefix>schema_version} (by default {@code quota_schema_version}).
 *
 * <p>Installing is idempotent and safe to call twice, also concurrently from several processes: the
 * installer holds a database lock while it works ({@code pg_advisory_lock} on PostgreSQL, {@code GET_LOCK} on
 * MySQL/MariaDB, a JVM lock on embedded H2), the scripts only create what does not exist yet, and on
 * PostgreSQL each version is applied in one transaction.
 *
 * <h2>Flyway</h2>
 * Teams that run Flyway use the same scripts: location {@link #flywayLocation()}, placeholders
 * {@link #flywayPlaceholders()} ({@code prefix}, and on MySQL/MariaDB {@code collation}), history table
 * {@link #flywayTable()}, {@code baselineOnMigrate(true)} and {@code baselineVersion(}{@link #flywayBaselineVersion()}{@code )}.
 * The two tools keep <b>one history</b>, the union of both tables: {@link #install()} takes every version Flyway
 * recorded as successfully applied in {@link #flywayTable()} as installed, and Flyway, baselined at the highest
 * version {@code install()} recorded, applies only the versions after it. Either tool may run first, or both.
 *
 * <p>Thread-safe; instances are cheap.
 */
public final class SchemaInstaller {

    /** The table prefix used unless another is given. */
    public static final String DEFAULT_PREFIX = "quota_";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaInstaller.class);
    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,29}|");
    private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "quota_schema"),
            new Migration(2, "usage_key_per_user"), new Migration(3, "balance_operations"),
            new Migration(4, "statistics_figures"), new Migration(5, "lean_usage_log"),
            new Migration(6, "ledger_without_row_id"), new Migration(7, "api_key_rows"));
    private static final long LOCK_TIMEOUT_SECONDS = 60;

    private record Migration(int version, String description) {
        String fileName() {
            return "V" + version + "__" + description + ".sql";
        }
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String prefix;
    private final Clock clock;

    private SchemaInstaller(Jdbi jdbi, Dialect dialect, String prefix, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.prefix = validatePrefix(prefix);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An installer with the {@linkplain #DEFAULT_PREFIX default prefix} and the system UTC clock.
     *
     * @param jdbi the database
     * @param dialect its dialect
     * @return the installer
     */
    public static SchemaInstaller create(Jdbi jdbi, Dialect dialect) {
        return new SchemaInstaller(jdbi, dialect, DEFAULT_PREFIX, Clock.systemUTC());
    }

    /**
     * @param jdbi the database
     * @param dialect its dialect
     * @param tablePrefix the table-name prefix: empty, or up to 30 characters of {@code [a-z0-9_]} not starting
     *                    with a digit
     * @param clock the clock whose time is recorded as each version's installation time
     * @return the installer
     * @throws IllegalArgumentException if the prefix is invalid
     */
    public static SchemaInstaller create(Jdbi jdbi, Dialect dialect, String tablePrefix, Clock clock) {
        return new SchemaInstaller(jdbi, dialect, tablePrefix, clock);
    }

    /**
     * Checks a table prefix.
     *
     * @param prefix the prefix
     * @return the prefix
     * @throws IllegalArgumentException if it is null, longer than 30 characters or not of {@code [a-z0-9_]}
     */
    static String validatePrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must be empty or up to 30 characters of [a-z0-9_],"
                    + " not starting with a digit: " + prefix);
        }
        return prefix;
    }

    /**
     * The versions this library ships, ascending. The numbering may have gaps; installing applies the shipped
     * versions in order.
     *
     * @return the shipped versions, ascending
     */
    public static List<Integer> versions() {
        return MIGRATIONS.stream().map(Migration::version).toList();
    }

    /** @return the highest schema version this library ships */
    public int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /** @return the name of the table recording installed versions */
    public String versionTable() {
        return prefix + "schema_version";
    }

    /**
     * @return the Flyway history table to configure ({@code Flyway.configure().table(...)}) so that
     *     {@link #install()} sees what Flyway applied: {@code <prefix>flyway_history}
     */
    public String flywayTable() {
        return prefix + "flyway_history";
    }

    /** @return the Flyway location of this dialect's scripts, e.g. {@code classpath:db/quota/postgresql} */
    public String flywayLocation() {
        return "classpath:db/quota/" + dialect.resourceName();
    }

    /**
     * The Flyway placeholders the scripts use: {@code prefix} always, and on MySQL/MariaDB {@code collation}, an
     * exact NO PAD binary collation picked from the server ({@code utf8mb4_nopad_bin} on MariaDB,
     * {@code utf8mb4_0900_bin} on MySQL 8) as {@link #install()} picks it.
     *
     * @return the placeholders, immutable
     * @throws BackendUnavailableException when the server cannot be asked (MySQL/MariaDB only)
     */
    public Map<String, String> flywayPlaceholders() {
        if (dialect != Dialect.MYSQL) {
            return Map.of("prefix", prefix);
        }
        try {
            return Map.of("prefix", prefix, "collation", jdbi.withHandle(SchemaInstaller::mysqlCollation));
        } catch (JdbiException e) {
            throw new BackendUnavailableException("reading the server version failed", e);
        }
    }

    /**
     * @return the Flyway baseline version: the highest version {@link #install()} recorded, {@code "0"} when none
     *     (so that Flyway applies every version itself)
     * @throws BackendUnavailableException when the database fails
     */
    public String flywayBaselineVersion() {
        try {
            return jdbi.withHandle(h -> {
                createVersionTable(h);
                return String.valueOf(q(h, "SELECT COALESCE(MAX(version), 0) FROM " + versionTable())
                        .mapTo(Integer.class).one());
            });
        } catch (JdbiException e) {
            throw new BackendUnavailableException("reading " + versionTable() + " failed", e);
        }
    }

    /**
     * The classpath resource of one version's script.
     *
     * @param dialect the dialect
     * @param version one of the shipped versions
     * @return e.g. {@code db/quota/postgresql/V1__quota_schema.sql}
     * @throws IllegalArgumentException if there is no such version
     */
    public static String scriptPath(Dialect dialect, int version) {
        return MIGRATIONS.stream().filter(m -> m.version() == version).findFirst()
                .map(m -> "db/quota/" + dialect.resourceName() + "/" + m.fileName())
                .orElseThrow(() -> new IllegalArgumentException("no schema version " + version));
    }

    /**
     * Applies every missing version, in order, and records it.
     *
     * @return the versions applied by this call, empty when the schema was up to date
     * @throws BackendUnavailableException when the database fails or the lock cannot be taken
     */
    public List<Integer> install() {
        return installUpTo(latestVersion());
    }

    /** Applies the missing versions up to {@code version} (tests use it to build an old schema to upgrade). */
    List<Integer> installUpTo(int version) {
        try {
            return jdbi.withHandle(h -> {
                Object lock = lock(h);
                try {
                    return installLocked(h, version);
                } finally {
                    unlock(h, lock);
                }
            });
        } catch (JdbiException e) {
            throw new BackendUnavailableException("installing the Quota schema (" + dialect + ", prefix '" + prefix
                    + "') failed: " + e.getMessage(), e);
        }
    }

    /**
     * @return the versions recorded as installed, ascending; empty when nothing was installed yet
     * @throws BackendUnavailableException when the database fails
     */
    public List<Integer> installedVersions() {
        try {
            return jdbi.withHandle(h -> {
                createVersionTable(h);
                return new ArrayList<>(installed(h));
            });
        } catch (JdbiException e) {
            throw new BackendUnavailableException("reading " + versionTable() + " failed", e);
        }
    }

    private List<Integer> installLocked(Handle h, int upTo) {
        createVersionTable(h);
        Set<Integer> done = installed(h);
        List<Integer> applied = new ArrayList<>();
        for (Migration m : MIGRATIONS) {
            if (m.version() > upTo) {
                break;
            }
            String path = scriptPath(dialect, m.version());
            String script = SqlCatalog.read(path);
            long checksum = checksum(script);
            if (done.contains(m.version())) {
                verifyChecksum(h, m, checksum);
                continue;
            }
            List<String> statements = statements(render(h, script));
            boolean transactional = dialect == Dialect.POSTGRESQL;
            if (transactional) {
                h.begin();
            }
            try {
                for (String sql : statements) {
                    u(h, sql).execute();
                }
                u(h, "INSERT INTO " + versionTable()
                                + " (version, description, script, checksum, installed_at) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, m.version()).bind(1, m.description()).bind(2, m.fileName()).bind(3, checksum)
                        .bind(4, clock.millis()).execute();
                if (transactional) {
                    h.commit();
                }
            } catch (RuntimeException e) {
                if (transactional) {
                    h.rollback();
                }
                throw e;
            }
            LOG.info("Installed Quota schema version {} ({}) with table prefix '{}'", m.version(), path, prefix);
            applied.add(m.version());
        }
        return applied;
    }

    /** Quota's SQL must not be touched by a caller's template engine or parameter syntax. */
    private static <S extends SqlStatement<S>> S plain(S statement) {
        return statement.setTemplateEngine(new NoTemplateEngine()).setSqlParser(new ColonPrefixSqlParser());
    }

    private static Query q(Handle h, String sql) {
        return plain(h.createQuery(sql));
    }

    private static Update u(Handle h, String sql) {
        return plain(h.createUpdate(sql));
    }

    private void verifyChecksum(Handle h, Migration m, long checksum) {
        Long recorded = q(h, "SELECT checksum FROM " + versionTable() + " WHERE version = ?")
                .bind(0, m.version()).mapTo(Long.class).findOne().orElse(null);
        if (recorded != null && recorded != checksum) {
            LOG.warn("Quota schema version {} was installed from a script with another checksum ({} != {});"
                    + " the tables may differ from what this library expects", m.version(), recorded, checksum);
        }
    }

    private void createVersionTable(Handle h) {
        u(h, "CREATE TABLE IF NOT EXISTS " + versionTable() + " (version INT NOT NULL PRIMARY KEY,"
                + " description VARCHAR(200) NOT NULL, script VARCHAR(200) NOT NULL, checksum BIGINT NOT NULL,"
                + " installed_at BIGINT NOT NULL)").execute();
    }

    private Set<Integer> installed(Handle h) {
        Set<Integer> versions = new TreeSet<>(q(h, "SELECT version FROM " + versionTable()).mapTo(Integer.class).list());
        versions.addAll(appliedByFlyway(h));
        return versions;
    }

    /** Versions Flyway applied successfully (its baseline row excluded); empty when it never ran here. */
    private List<Integer> appliedByFlyway(Handle h) {
        // Flyway quotes its identifiers; on H2 that makes them lower case, unlike unquoted names.
        String quote = dialect == Dialect.H2 ? "\"" : "";
        String sql = "SELECT " + quote + "version" + quote + " FROM " + quote + flywayTable() + quote + " WHERE "
                + quote + "success" + quote + " = TRUE AND " + quote + "type" + quote + " <> 'BASELINE'";
        List<String> rows;
        try {
            rows = q(h, sql).mapTo(String.class).list();
        } catch (JdbiException noFlywayTable) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String v : rows) {
            if (v != null && v.matches("\\d{1,9}")) {
                out.add(Integer.parseInt(v));
            }
        }
        return out;
    }

    private String render(Handle h, String script) {
        String out = script.replace("${prefix}", prefix);
        if (dialect == Dialect.MYSQL) {
            out = out.replace("${collation}", mysqlCollation(h));
        }
        return out;
    }

    /** An exact NO PAD binary collation where the server has one. */
    private static String mysqlCollation(Handle h) {
        String version = q(h, "SELECT VERSION()").mapTo(String.class).one().toLowerCase(Locale.ROOT);
        if (version.contains("mariadb")) {
            return "utf8mb4_nopad_bin";
        }
        int major = Integer.parseInt(version.replaceAll("^(\\d+).*$", "$1"));
        return major >= 8 ? "utf8mb4_0900_bin" : "utf8mb4_bin";
    }

    static long checksum(String script) {
        CRC32 crc = new CRC32();
        crc.update(script.replace("\r\n", "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Splits a script into statements: whole-line {@code --} comments are dropped, {@code ;} ends a statement. */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            if (!line.stripLeading().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String part : sb.toString().split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private Object lock(Handle h) {
        switch (dialect) {
            case POSTGRESQL -> {
                String schema = q(h, "SELECT current_schema()").mapTo(String.class).one();
                long key = ("quota-schema:" + schema + ":" + prefix).hashCode();
                q(h, "SELECT pg_advisory_lock(?)").bind(0, key).mapTo(String.class).one();
                return key;
            }
            case MYSQL -> {
                String database = q(h, "SELECT DATABASE()").mapTo(String.class).findOne().orElse("");
                String name = ("quota_schema:" + database + ":" + prefix);
                if (name.length() > 64) {
                    name = name.substring(0, 40) + Integer.toHexString(name.hashCode());
                }
                Integer got = q(h, "SELECT GET_LOCK(?, ?)").bind(0, name).bind(1, LOCK_TIMEOUT_SECONDS)
                        .mapTo(Integer.class).one();
                if (got == null || got != 1) {
                    throw new BackendUnavailableException("could not take the schema lock " + name + " within "
                            + LOCK_TIMEOUT_SECONDS + " s");
                }
                return name;
            }
            case H2 -> {
                ReentrantLock lock = JVM_LOCKS.computeIfAbsent(prefix, k -> new ReentrantLock());
                lock.lock();
                return lock;
            }
            default -> throw new IllegalStateException("unknown dialect " + dialect);
        }
    }

    private void unlock(Handle h, Object lock) {
        try {
            switch (dialect) {
                case POSTGRESQL -> q(h, "SELECT pg_advisory_unlock(?)").bind(0, (Long) lock)
                        .mapTo(String.class).one();
                case MYSQL -> q(h, "SELECT RELEASE_LOCK(?)").bind(0, (String) lock)
                        .mapTo(String.class).findOne();
                case H2 -> ((ReentrantLock) lock).unlock();
                default -> throw new IllegalStateException("unknown dialect " + dialect);
            }
        } catch (JdbiException e) {
            // The lock is tied to the session and goes away with the connection anyway.
            LOG.warn("Releasing the Quota schema lock failed: {}", e.toString());
        }
    }
}
