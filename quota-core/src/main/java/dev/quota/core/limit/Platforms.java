package dev.quota.core.limit;

/**
 * The rule for platform names ({@code anthropic}, {@code openai}, {@code gemini}, ...): 1 to 64 ASCII
 * letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit. Platform names become
 * parts of cache keys and table rows, so separators such as {@code :} and whitespace are refused.
 */
public final class Platforms {

    /** The longest name. */
    private static final int MAX_LENGTH = 64;

    private Platforms() {
    }

    /**
     * @param name a platform name
     * @param field the name of the argument, for the message
     * @return {@code name}
     * @throws IllegalArgumentException if the name does not follow the rule
     */
    public static String requireValid(String name, String field) {
        if (!valid(name)) {
            throw new IllegalArgumentException(field + " must be 1 to 64 of [A-Za-z0-9._-] starting with a letter"
                    + " or digit: '" + name + "'");
        }
        return name;
    }

    /** The rule, read char by char: every check and record names a platform, and a regex match allocates. */
    private static boolean valid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !letterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
