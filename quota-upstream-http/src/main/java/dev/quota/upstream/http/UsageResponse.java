package dev.quota.upstream.http;

import dev.quota.core.spi.UpstreamUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps the provider's usage JSON to {@link UpstreamUsage} windows, in the answer's order:
 * {@code five_hour} → {@link UpstreamUsage#FIVE_HOUR}, {@code seven_day} → {@link UpstreamUsage#SEVEN_DAY},
 * {@code seven_day_<family>} → {@link UpstreamUsage#sevenDayOf(String)}; other members are ignored, and so is a
 * window whose value is {@code null}. Within a window, a missing or {@code null} {@code utilization} is 0 and a
 * missing, {@code null} or empty {@code resets_at} means "no reset time"; an unparsable {@code resets_at} keeps the
 * window and its utilization ({@link UpstreamUsage#reported}). Stateless.
 */
final class UsageResponse {

    private static final String FIVE_HOUR = "five_hour";
    private static final String SEVEN_DAY = "seven_day";
    private static final String SEVEN_DAY_FAMILY = "seven_day_";

    private UsageResponse() {
    }

    /**
     * @param accountId the account, for messages
     * @param body the response body
     * @return the windows
     * @throws MalformedUpstreamResponseException if the body is not the usage JSON
     */
    static List<UpstreamUsage> parse(long accountId, String body) {
        Object root;
        try {
            root = JsonReader.read(body);
        } catch (JsonReader.MalformedJsonException e) {
            throw malformed(accountId, "not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw malformed(accountId, "not a JSON object");
        }
        List<UpstreamUsage> windows = new ArrayList<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = windowName((String) member.getKey());
            if (name == null || member.getValue() == null) {
                continue;
            }
            windows.add(window(accountId, (String) member.getKey(), name, member.getValue()));
        }
        return List.copyOf(windows);
    }

    private static String windowName(String member) {
        if (member.equals(FIVE_HOUR)) {
            return UpstreamUsage.FIVE_HOUR;
        }
        if (member.equals(SEVEN_DAY)) {
            return UpstreamUsage.SEVEN_DAY;
        }
        if (member.startsWith(SEVEN_DAY_FAMILY) && member.length() > SEVEN_DAY_FAMILY.length()
                && member.indexOf(':') < 0) {
            return UpstreamUsage.sevenDayOf(member.substring(SEVEN_DAY_FAMILY.length()));
        }
        return null;
    }

    private static UpstreamUsage window(long accountId, String member, String name, Object value) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw malformed(accountId, "\"" + member + "\" is not an object");
        }
        Object utilization = fields.get("utilization");
        double percent;
        if (utilization == null) {
            percent = 0.0;
        } else if (utilization instanceof Double d && d >= 0) {
            percent = d;
        } else {
            throw malformed(accountId, "\"" + member + ".utilization\" is not a number >= 0: " + utilization);
        }
        Object resetsAt = fields.get("resets_at");
        if (resetsAt != null && !(resetsAt instanceof String)) {
            throw malformed(accountId, "\"" + member + ".resets_at\" is not a string: " + resetsAt);
        }
        return UpstreamUsage.reported(name, percent, (String) resetsAt);
    }

    private static MalformedUpstreamResponseException malformed(long accountId, String what) {
        return new MalformedUpstreamResponseException("usage answer for account " + accountId + " is malformed: " + what);
    }
}
