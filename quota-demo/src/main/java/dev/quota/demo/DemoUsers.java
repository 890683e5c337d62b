package dev.quota.demo;

import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's customers, drawn from the seed: balance users in a standard and a free group, subscribers on a pro
 * and a starter plan, API keys with 5-hour, 1-day or 7-day spending limits, users with a requests-per-minute
 * limit, and the platform quota defaults by auth source. One extra user ({@link #BURST_USER}) spends only
 * through the concurrent reservation burst.
 */
public final class DemoUsers {

    /** The user of the concurrent reservation burst. */
    public static final long BURST_USER = 9000;

    /** A plan: its group, kind and limits. */
    public enum Plan {
        /** Prepaid balance, group 10, 600 requests a minute per user in the group. */
        STANDARD(10, false, null, Limit.of(600)),
        /** Prepaid balance, group 11, 2 requests a minute per user in the group. */
        FREE(11, false, null, Limit.of(2)),
        /** Subscription, group 20: 3 / 15 / 50 USD a day / week / month. */
        PRO(20, true, new PeriodLimits(Limit.of(Money.parse("3")), Limit.of(Money.parse("15")),
                Limit.of(Money.parse("50"))), Limit.unlimited()),
        /** Subscription, group 21: 0.6 / 3 / 10 USD a day / week / month. */
        STARTER(21, true, new PeriodLimits(Limit.of(Money.parse("0.6")), Limit.of(Money.parse("3")),
                Limit.of(Money.parse("10"))), Limit.unlimited());

        private final long groupId;
        private final boolean subscription;
        private final PeriodLimits limits;
        private final Limit groupRpm;

        Plan(long groupId, boolean subscription, PeriodLimits limits, Limit groupRpm) {
            this.groupId = groupId;
            this.subscription = subscription;
            this.limits = limits;
            this.groupRpm = groupRpm;
        }

        /** @return the group */
        public long groupId() {
            return groupId;
        }

        /** @return whether it is a subscription (else a prepaid balance) */
        public boolean subscription() {
            return subscription;
        }

        /** @return the subscription's limits, or {@code null} for a balance plan */
        public PeriodLimits limits() {
            return limits;
        }

        /** @return the group's requests-per-minute limit (counted per user in the group) */
        public Limit groupRpm() {
            return groupRpm;
        }
    }

    /**
     * A model a user calls, with its list prices per token.
     *
     * @param name the model
     * @param platform its platform
     * @param accountId the upstream account that serves it
     * @param inputPerToken USD per input token
     * @param outputPerToken USD per output token
     */
    public record Model(String name, String platform, long accountId, BigDecimal inputPerToken,
                        BigDecimal outputPerToken) {
    }

    /** The models: two per platform, each served through one upstream account. */
    public static final List<Model> MODELS = List.of(
            new Model("claude-sonnet-4", "anthropic", 901, new BigDecimal("0.000003"), new BigDecimal("0.000015")),
            new Model("claude-haiku-4", "anthropic", 902, new BigDecimal("0.0000008"), new BigDecimal("0.000004")),
            new Model("gpt-4.1", "openai", 900, new BigDecimal("0.000002"), new BigDecimal("0.000008")),
            new Model("gpt-4.1-mini", "openai", 900, new BigDecimal("0.0000004"), new BigDecimal("0.0000016")));

    /** The largest input tokens of one request. */
    public static final long MAX_INPUT = 4199;
    /** The largest output tokens of one request. */
    public static final long MAX_OUTPUT = 1549;

    /** The platform quota defaults: a system default for anthropic, stricter ones by auth source. */
    public static final PlatformQuotaDefaults PLATFORM_DEFAULTS = PlatformQuotaDefaults.builder()
            .system("anthropic", new PeriodLimits(Limit.of(Money.parse("5")), Limit.unlimited(), Limit.unlimited()))
            .source("github", "anthropic", new PeriodLimits(Limit.of(Money.parse("0.4")), Limit.unlimited(),
                    Limit.unlimited()))
            .source("oidc", "openai", new PeriodLimits(Limit.of(Money.parse("1.5")), Limit.unlimited(),
                    Limit.unlimited()))
            .build();

    /**
     * One user.
     *
     * @param id the user
     * @param name the name
     * @param plan the plan
     * @param startBalance the starting balance, or {@code null} for a subscriber
     * @param authSource how the user signs in
     * @param apiKeyId the user's API key
     * @param keyLimits the key's limits
     * @param keyLimitLabel the key's limits for a human, e.g. {@code 5h 0.400000}
     * @param rpmLimit the user's requests-per-minute limit
     * @param model the model the user calls most
     * @param activity the chance per draw that the user sends a request in a tick, at the busiest hour
     * @param draws draws per tick (a user with an RPM limit sends bursts)
     */
    public record User(long id, String name, Plan plan, Money startBalance, String authSource, long apiKeyId,
                       KeyLimits keyLimits, String keyLimitLabel, Limit rpmLimit, Model model, double activity,
                       int draws) {

        /** @return whether the user holds a subscription */
        public boolean subscriber() {
            return plan.subscription();
        }
    }

    private static final String[] SOURCES = {"email", "email", "email", "email", "email", "oidc", "oidc", "oidc",
        "github", "github"};
    private static final String[] BALANCES = {"0.5", "2", "5", "10", "25"};
    private static final String[] NAMES = {"ada", "ben", "cai", "dan", "eve", "fay", "gus", "hal", "ivy", "jon",
        "kim", "lea", "max", "noa", "oli", "pia", "quy", "rex", "sam", "tia", "uma", "vic", "wes", "xin", "yan",
        "zoe"};

    private DemoUsers() {
    }

    /**
     * Draws the users.
     *
     * @param count how many
     * @param seed the seed
     * @return the users in id order, ids 1 to {@code count}
     */
    public static List<User> draw(int count, long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<User> users = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            double p = r.nextDouble();
            Plan plan = p < 0.55 ? Plan.STANDARD : p < 0.70 ? Plan.FREE : p < 0.85 ? Plan.PRO : Plan.STARTER;
            Money balance = plan.subscription() ? null : Money.parse(BALANCES[r.nextInt(BALANCES.length)]);
            String source = SOURCES[r.nextInt(SOURCES.length)];
            double k = r.nextDouble();
            KeyLimits keyLimits;
            String label;
            if (k < 0.15) {
                keyLimits = new KeyLimits(Limit.of(Money.parse("0.4")), Limit.unlimited(), Limit.unlimited());
                label = "5h 0.40";
            } else if (k < 0.30) {
                keyLimits = new KeyLimits(Limit.unlimited(), Limit.of(Money.parse("1")), Limit.unlimited());
                label = "1d 1.00";
            } else if (k < 0.40) {
                keyLimits = new KeyLimits(Limit.unlimited(), Limit.unlimited(), Limit.of(Money.parse("2.5")));
                label = "7d 2.50";
            } else {
                keyLimits = KeyLimits.UNLIMITED;
                label = "-";
            }
            boolean limitedRpm = r.nextDouble() < 0.2;
            Model model = MODELS.get(r.nextInt(MODELS.size()));
            double activity = r.nextDouble() < 0.1 ? 0.2 + 0.2 * r.nextDouble() : 0.02 + 0.1 * r.nextDouble();
            users.add(new User(i, NAMES[(i - 1) % NAMES.length] + "-" + i, plan, balance, source, 1000L + i,
                    keyLimits, label, limitedRpm ? Limit.of(3) : Limit.unlimited(), model, activity,
                    limitedRpm ? 5 : 2));
        }
        return users;
    }

    /**
     * @return the user of the reservation burst: a standard balance of 1 USD, no key or RPM limits
     */
    public static User burstUser() {
        return new User(BURST_USER, "burst", Plan.STANDARD, Money.parse("1"), "email", 99_000, KeyLimits.UNLIMITED,
                "-", Limit.unlimited(), MODELS.get(0), 0, 0);
    }
}
