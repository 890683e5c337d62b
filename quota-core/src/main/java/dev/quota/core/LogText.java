package dev.quota.core;

/** Failure messages shortened for log lines and exception messages (a driver's message can span pages). */
final class LogText {

    /** The longest text kept. */
    static final int MAX = 300;

    private LogText() {
    }

    /**
     * @param message a failure's message, may be null
     * @return its first line, stripped, at most {@link #MAX} characters (then ending in "..."); "" for null
     */
    static String brief(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("").strip();
        return first.length() <= MAX ? first : first.substring(0, MAX) + "...";
    }
}
