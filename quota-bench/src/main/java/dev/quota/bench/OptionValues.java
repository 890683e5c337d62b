package dev.quota.bench;

/** The command-line numbers of the bench mains, checked one way: a clear message naming the option. */
final class OptionValues {

    private OptionValues() {
    }

    /**
     * @return {@code value} (underscores allowed) as a whole number within {@code [min, max]}
     * @throws IllegalArgumentException naming {@code name} when it is not
     */
    static long whole(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
        return n;
    }

    /**
     * @return {@code value} (underscores allowed) as a number within {@code [min, max]}
     * @throws IllegalArgumentException naming {@code name} when it is not
     */
    static double number(String name, String value, double min, double max) {
        double d;
        try {
            d = Double.parseDouble(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + value);
        }
        if (d < min || d > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
        return d;
    }
}
