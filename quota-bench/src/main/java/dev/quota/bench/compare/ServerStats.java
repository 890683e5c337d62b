package dev.quota.bench.compare;

import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * One reading of a redis-server's own accounting: the CPU time of the server process ({@code INFO cpu},
 * {@code used_cpu_sys + used_cpu_user}) and {@code INFO commandstats} (calls and microseconds per command,
 * commands run inside scripts included). The difference of two readings is what the server did in between.
 *
 * @param cpuMicros the server process's CPU time so far, µs
 * @param calls the calls so far, by lower-case command name
 * @param usec the microseconds spent so far, by lower-case command name
 */
public record ServerStats(long cpuMicros, Map<String, Long> calls, Map<String, Long> usec) {

    /**
     * Reads the server's figures now (the {@code INFO} command itself shows up as {@code info}).
     *
     * @param jedis a connection of its own (not the measured client)
     * @return the reading
     */
    public static ServerStats read(Jedis jedis) {
        String cpu = jedis.info("cpu");
        long micros = Math.round((Double.parseDouble(PrivateRedis.infoField(cpu, "used_cpu_sys"))
                + Double.parseDouble(PrivateRedis.infoField(cpu, "used_cpu_user"))) * 1_000_000);
        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> usec = new TreeMap<>();
        // cmdstat_evalsha:calls=1000,usec=31000,usec_per_call=31.00,rejected_calls=0,failed_calls=0
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            for (String part : line.substring(colon + 1).split(",")) {
                int eq = part.indexOf('=');
                String key = part.substring(0, eq);
                if (key.equals("calls")) {
                    calls.put(name, Long.parseLong(part.substring(eq + 1)));
                } else if (key.equals("usec")) {
                    usec.put(name, Long.parseLong(part.substring(eq + 1)));
                }
            }
        }
        return new ServerStats(micros, calls, usec);
    }

    /**
     * @param earlier a reading taken before this one
     * @return what happened between the two readings (commands without calls in between are left out)
     */
    public ServerStats minus(ServerStats earlier) {
        Map<String, Long> c = new TreeMap<>();
        Map<String, Long> u = new TreeMap<>();
        calls.forEach((name, n) -> {
            long d = n - earlier.calls.getOrDefault(name, 0L);
            if (d > 0) {
                c.put(name, d);
                u.put(name, usec.getOrDefault(name, 0L) - earlier.usec.getOrDefault(name, 0L));
            }
        });
        return new ServerStats(cpuMicros - earlier.cpuMicros, c, u);
    }

    /**
     * @param name a lower-case command name
     * @return the command's {@code usec_per_call} over this reading (a difference), or NaN when it had no calls
     */
    public double usecPerCall(String name) {
        long n = calls.getOrDefault(name, 0L);
        return n == 0 ? Double.NaN : (double) usec.getOrDefault(name, 0L) / n;
    }
}
