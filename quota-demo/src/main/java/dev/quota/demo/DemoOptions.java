package dev.quota.demo;

/**
 * The demo's command-line options.
 *
 * @param seed the random seed of users and traffic (same seed and options, same output)
 * @param days simulated days, 1 to 28
 * @param users simulated users, 20 to 5000
 * @param redisUrl a Redis to use instead of the embedded one ({@code redis://host:port[/db]}), or {@code null}
 * @param jdbcUrl a PostgreSQL or MySQL/MariaDB to use instead of in-memory H2, or {@code null}
 * @param help whether only the usage was asked for
 */
public record DemoOptions(long seed, int days, int users, String redisUrl, String jdbcUrl, boolean help) {

    /** The default seed. */
    public static final long DEFAULT_SEED = 2026;
    /** The default number of simulated days. */
    public static final int DEFAULT_DAYS = 3;
    /** The default number of users. */
    public static final int DEFAULT_USERS = 300;

    /** What {@code --help} prints. */
    public static final String USAGE = """
            Usage: GatewayDemo [--seed S] [--days N] [--users N] [--redis-url URL] [--jdbc-url URL] [--help]
              --seed S         random seed of users and traffic (default 2026); same seed and options, same output
              --days N         simulated days, 1 to 28 (default 3)
              --users N        simulated users, 20 to 5000 (default 300)
              --redis-url URL  use this Redis (redis://host:port[/db]) instead of an embedded redis-server; the demo
                               uses its own key prefix, deletes its keys afterwards, and never stops that server
                               (the fault then cuts the demo's connections instead of killing the server)
              --jdbc-url URL   use this PostgreSQL or MySQL/MariaDB instead of in-memory H2, e.g.
                               'jdbc:postgresql://127.0.0.1:5432/test?user=postgres'; the demo works in a schema
                               of its own and drops it afterwards
              --help           print this and exit
            Exit codes: 0 books balance, 1 books do not balance, 2 bad options or unreachable servers.""";

    /** @return the defaults */
    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_SEED, DEFAULT_DAYS, DEFAULT_USERS, null, null, false);
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a one-line message on an unknown option, a missing or bad value
     */
    public static DemoOptions parse(String... args) {
        long seed = DEFAULT_SEED;
        int days = DEFAULT_DAYS;
        int users = DEFAULT_USERS;
        String redisUrl = null;
        String jdbcUrl = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new DemoOptions(seed, days, users, redisUrl, jdbcUrl, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") && isKnown(option)
                        ? option + " needs a value" : "unknown option " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--seed" -> seed = number(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--days" -> days = (int) number(option, value, 1, 28);
                case "--users" -> users = (int) number(option, value, 20, 5000);
                case "--redis-url" -> redisUrl = value;
                case "--jdbc-url" -> jdbcUrl = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DemoOptions(seed, days, users, redisUrl, jdbcUrl, false);
    }

    private static boolean isKnown(String option) {
        return switch (option) {
            case "--seed", "--days", "--users", "--redis-url", "--jdbc-url" -> true;
            default -> false;
        };
    }

    private static long number(String option, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be " + min + " to " + max + ": " + n);
        }
        return n;
    }
}
