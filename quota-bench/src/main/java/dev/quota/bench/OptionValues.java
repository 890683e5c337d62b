package dev.quota.bench;

import java.util.function.Function;

/**
 * The command-line options of the bench mains, checked one way: a clear message naming the option, and exit status 2
 * for a wrong one.
 */
final class OptionValues {

    private OptionValues() {
    }

    /**
     * @return {@code value} (underscores allowed) as a whole number within {@code [min, max]}
     * @throws IllegalArgumentException naming {@code name} when it is not
     */
    static long whole(String name, String value, long min, long max) {
        return within(name, value, Long::valueOf, min, max);
    }

    /**
     * @return {@code value} (underscores allowed) as a number within {@code [min, max]}
     * @throws IllegalArgumentException naming {@code name} when it is not
     */
    static double number(String name, String value, double min, double max) {
        return within(name, value, Double::valueOf, min, max);
    }

    /** {@code value} without underscores, parsed and checked against {@code [min, max]} (NaN is outside). */
    private static <N extends Comparable<N>> N within(String name, String value, Function<String, N> parse,
                                                      N min, N max) {
        N n;
        try {
            n = parse.apply(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + value);
        }
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
        return n;
    }

    /**
     * @return the options {@code parse} reads from {@code args}; when it refuses them ({@link IllegalArgumentException}),
     *         prints its message and exits with status 2
     */
    static <T> T parseOrExit(String[] args, Function<String[], T> parse) {
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }
}
