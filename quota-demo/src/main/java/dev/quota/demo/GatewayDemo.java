package dev.quota.demo;

import dev.quota.testkit.MutableClock;

/**
 * The demo's entry point: {@code mvn -B -q -Pdemo -DskipTests -pl quota-demo -am package} (or run this class
 * with {@code --days N}, default 3, and {@code --seed S}).
 */
public final class GatewayDemo {

    private GatewayDemo() {
    }

    /**
     * Runs the simulated gateway and prints its report.
     *
     * @param args {@code --days N} and {@code --seed S}, both optional
     * @throws Exception when the simulation fails
     */
    public static void main(String[] args) throws Exception {
        int days = 3;
        long seed = 2026;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--days" -> days = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // Monday 2026-11-16 00:00 in Shanghai: the run crosses local midnights (and a Monday when days > 6).
        MutableClock clock = MutableClock.startingAt("2026-11-15T16:00:00Z");
        try (DemoEnvironment env = DemoEnvironment.start(clock)) {
            DemoReport report = new SimulatedGateway(env, days, seed).run();
            report.print(System.out);
        }
    }
}
