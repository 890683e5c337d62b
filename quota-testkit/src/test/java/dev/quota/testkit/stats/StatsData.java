package dev.quota.testkit.stats;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ledger in the business zone Asia/Shanghai (UTC+8) that crosses the local midnight between Sunday
 * 2025-03-09 and Monday 2025-03-10 (2025-03-09T16:00Z), with hand-computed expectations.
 *
 * <pre>
 * id  local time (+08)          user model     tokens(in,out,cc,cr) list  charged parts(in,out) status  ms
 * e1  2025-03-09 10:15          1    claude-a  100,50,0,0    =150   1.0   0.8     0.6,0.4       200     100
 * e2  2025-03-09 23:40          1    claude-b  200,100,10,20 =330   2.0   2.0     -             200     300
 * e3  2025-03-09 23:59:59.999   2    claude-a  10,10,0,0     =20    0.5   0.5     -             500      50
 * e4  2025-03-10 00:00:00.000   1    claude-a  300,0,0,0     =300   3.0   1.5     -             200     200
 * e7  2025-03-10 00:10          1    claude-a  30,10,0,0     =40    0.25  0.25    -             200      40
 * e5  2025-03-10 00:45          2    claude-b  50,50,0,0     =100   1.0   1.0     -             429      10
 * e8  2025-03-10 00:20          2    (none)    1,1,0,0       =2     0.01  0.01    -             200       5
 * e6  2025-03-11 02:26          1    claude-a  5,5,0,0       =10    0.1   0.1     -             200      20
 * now 2025-03-11 02:30 (today is 2025-03-11)
 * </pre>
 */
final class StatsData {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final LocalDate MAR_08 = LocalDate.of(2025, 3, 8);
    static final LocalDate MAR_09 = LocalDate.of(2025, 3, 9);
    static final LocalDate MAR_10 = LocalDate.of(2025, 3, 10);
    static final LocalDate MAR_11 = LocalDate.of(2025, 3, 11);
    static final Instant NOW = local("2025-03-11T02:30:00");

    static final List<UsageEvent> EVENTS = List.of(
            ev("e1", "2025-03-09T10:15:00", 1, "claude-a", 100, 50, 0, 0, "1.0", "0.8", 200, 100)
                    .costParts(m("0.6"), m("0.4"), Money.ZERO, Money.ZERO).build(),
            ev("e2", "2025-03-09T23:40:00", 1, "claude-b", 200, 100, 10, 20, "2.0", "2.0", 200, 300).build(),
            ev("e3", "2025-03-09T23:59:59.999", 2, "claude-a", 10, 10, 0, 0, "0.5", "0.5", 500, 50).build(),
            ev("e4", "2025-03-10T00:00:00", 1, "claude-a", 300, 0, 0, 0, "3.0", "1.5", 200, 200).build(),
            ev("e7", "2025-03-10T00:10:00", 1, "claude-a", 30, 10, 0, 0, "0.25", "0.25", 200, 40).build(),
            ev("e5", "2025-03-10T00:45:00", 2, "claude-b", 50, 50, 0, 0, "1.0", "1.0", 429, 10).build(),
            ev("e8", "2025-03-10T00:20:00", 2, null, 1, 1, 0, 0, "0.01", "0.01", 200, 5).build(),
            ev("e6", "2025-03-11T02:26:00", 1, "claude-a", 5, 5, 0, 0, "0.1", "0.1", 200, 20).build());

    /** e1 + e2 + e3. */
    static final UsageTotals MAR_09_ALL = totals(3, 2, 1, 310, 160, 10, 20, "3.5", "3.3", "0.6", "0.4", 450);
    /** e1 + e2. */
    static final UsageTotals MAR_09_USER_1 = totals(2, 2, 0, 300, 150, 10, 20, "3.0", "2.8", "0.6", "0.4", 400);
    /** e3. */
    static final UsageTotals MAR_09_USER_2 = totals(1, 0, 1, 10, 10, 0, 0, "0.5", "0.5", "0", "0", 50);
    /** e4 + e7 + e5 + e8. */
    static final UsageTotals MAR_10_ALL = totals(4, 3, 1, 381, 61, 0, 0, "4.26", "2.76", "0", "0", 255);
    /** e4 + e7. */
    static final UsageTotals MAR_10_USER_1 = totals(2, 2, 0, 330, 10, 0, 0, "3.25", "1.75", "0", "0", 240);
    /** e5 + e8. */
    static final UsageTotals MAR_10_USER_2 = totals(2, 1, 1, 51, 51, 0, 0, "1.01", "1.01", "0", "0", 15);
    /** e6. */
    static final UsageTotals MAR_11_ALL = totals(1, 1, 0, 5, 5, 0, 0, "0.1", "0.1", "0", "0", 20);

    private StatsData() {
    }

    static Instant local(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    static Money m(String decimal) {
        return Money.parse(decimal);
    }

    static UsageEvent.Builder ev(String id, String localAt, long user, String model, long in, long out, long cc,
                                 long cr, String list, String charged, int status, long ms) {
        return ev(id, local(localAt), user, model, in, out, cc, cr, list, charged, status, ms);
    }

    static UsageEvent.Builder ev(String id, Instant at, long user, String model, long in, long out, long cc,
                                 long cr, String list, String charged, int status, long ms) {
        UsageEvent.Builder b = UsageEvent.builder(id, user).platform("anthropic").tokens(in, out, cc, cr)
                .totalCost(m(list)).actualCost(m(charged)).httpStatus(status).responseTimeMs(ms).occurredAt(at);
        if (model != null) {
            b.model(model);
        }
        return b;
    }

    /** A one-token, one-nano-dollar event of {@code user} at {@code at}. */
    static UsageEvent tiny(String id, Instant at, long user) {
        return UsageEvent.builder(id, user).model("claude-a").tokens(1, 0, 0, 0).totalCost(Money.ofNanos(1))
                .occurredAt(at).build();
    }

    /**
     * @return one {@link #tiny} event for each of users 1 to {@code users}, ids {@code m<user>}, one millisecond
     *     apart after {@code at}
     */
    static List<UsageEvent> tinyPerUser(int users, Instant at) {
        List<UsageEvent> events = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            events.add(tiny("m" + u, at.plusMillis(u), u));
        }
        return events;
    }

    static UsageTotals totals(long requests, long success, long errors, long in, long out, long cc, long cr,
                              String list, String charged, String inputCost, String outputCost, long ms) {
        return new UsageTotals(requests, success, errors, in, out, cc, cr, m(list), m(charged), m(inputCost),
                m(outputCost), Money.ZERO, Money.ZERO, ms);
    }
}
