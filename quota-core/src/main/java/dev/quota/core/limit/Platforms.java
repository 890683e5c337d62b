package dev.quota.core.limit;

import java.util.regex.Pattern;

/**
 * The rule for platform names ({@code anthropic}, {@code openai}, {@code gemini}, ...): 1 to 64 ASCII
 * letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit. Platform names become
 * parts of cache keys and table rows, so separators such as {@code :} and whitespace are refused.
 */
public final class Platforms {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Platforms() {
    }

    /**
     * @param name a platform name
     * @param field the name of the argument, for the message
     * @return {@code name}
     * @throws IllegalArgumentException if the name does not follow the rule
     */
    public static String requireValid(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 64 of [A-Za-z0-9._-] starting with a letter"
                    + " or digit: '" + name + "'");
        }
        return name;
    }
}
