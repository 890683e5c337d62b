package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * lib.lua's money arithmetic, run on a real redis-server against {@link BigInteger}: {@code q_add},
 * {@code q_add_fits} and {@code q_cmp} take a numeric path for values of at most 15 characters and the
 * digit-by-digit one above, so the values straddle that boundary (with and without a sign), 2^53 and the signed
 * 64-bit range.
 */
class LuaMoneyArithmeticTest extends OnEmbeddedRedis {

    private static final String[] EDGES = {"0", "1", "9", "10", "999999999", "1000000000", "1000000001",
        "99999999999999", "100000000000000", "999999999999998", "999999999999999", "1000000000000000",
        "1000000000000001", "9007199254740991", "9007199254740992", "9007199254740993", "9223372036854775806",
        "9223372036854775807", "9223372036854775808", "18446744073709551616"};

    @Test
    void addAndCompareAgreeWithBigIntegerAcrossTheNumericBoundary() {
        Random rnd = new Random(5353);
        List<String> values = new ArrayList<>(List.of(EDGES));
        for (int i = 0; i < 60; i++) {
            int digits = 1 + rnd.nextInt(19);
            values.add(new BigInteger(digits * 4, rnd).toString());
        }
        List<String> args = new ArrayList<>();
        for (String a : values) {
            for (String b : values) {
                args.add(a);
                args.add(b);
            }
        }
        String script = lib().preludeFor("q_add q_cmp q_add_fits") + """
                local out = {}
                for i = 1, #ARGV, 2 do
                  local a, b = ARGV[i], ARGV[i + 1]
                  local minus_a = a == '0' and '0' or '-' .. a
                  local minus_b = b == '0' and '0' or '-' .. b
                  local bn = nil
                  if #b <= 15 then
                    bn = tonumber(b)
                  end
                  out[#out + 1] = q_add(a, b) .. ' ' .. q_cmp(a, b) .. ' ' .. q_cmp(minus_a, b) .. ' '
                    .. q_cmp(minus_a, minus_b) .. ' ' .. tostring(q_add_fits(a, b, nil)) .. ' '
                    .. tostring(q_add_fits(a, b, bn))
                end
                return out
                """;
        List<?> reply = (List<?>) redis.client().eval(script, List.of(), args);

        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        for (int i = 0; i < args.size(); i += 2) {
            BigInteger a = new BigInteger(args.get(i));
            BigInteger b = new BigInteger(args.get(i + 1));
            BigInteger sum = a.add(b);
            String fits = sum.compareTo(max) <= 0 ? sum.toString() : "nil";
            String expected = sum + " " + a.compareTo(b) + " " + a.negate().compareTo(b) + " "
                    + a.negate().compareTo(b.negate()) + " " + fits + " " + fits;
            assertThat(reply.get(i / 2)).as("%s and %s", a, b).isEqualTo(expected);
        }
    }

    @Test
    void anIntegerIsCanonicalInLuaExactlyWhenJavaReadsItBackUnchangedAsALongAndNonNegativeWhenItIsNotBelowZero() {
        Random rnd = new Random(1717);
        List<String> values = new ArrayList<>(List.of("", "-", "+1", " 1", "1 ", "0", "-0", "00", "01", "-01", "1.5",
                "1e3", "0x1", "١", "--1", "1-", "-9223372036854775808", "-9223372036854775809", "9223372036854775807",
                "9223372036854775808", "99999999999999999", "999999999999999999", "-99999999999999999",
                "-999999999999999999", "1000000000000000000", "-1000000000000000000", "09223372036854775807",
                "12345678901234567890"));
        for (String edge : EDGES) {
            values.add(edge);
            values.add("-" + edge);
            values.add("0" + edge);
        }
        for (int i = 0; i < 200; i++) {
            String digits = new BigInteger(1 + rnd.nextInt(66), rnd).toString();
            values.add(rnd.nextBoolean() ? digits : "-" + digits);
        }
        String script = lib().preludeFor("q_int q_nonneg") + """
                local out = {}
                for i = 1, #ARGV do
                  out[i] = (q_int(ARGV[i]) ~= nil and 1 or 0) .. (q_nonneg(ARGV[i]) ~= nil and 1 or 0)
                end
                return out
                """;
        List<?> reply = (List<?>) redis.client().eval(script, List.of(), values);

        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean canonical = canonicalLong(v);
            assertThat(reply.get(i)).as("q_int and q_nonneg of \"%s\"", v)
                    .isEqualTo((canonical ? "1" : "0") + (canonical && !v.startsWith("-") ? "1" : "0"));
        }
    }

    /** Java's rule: a signed 64-bit integer written as Long.toString writes it. */
    private static boolean canonicalLong(String v) {
        try {
            return Long.toString(Long.parseLong(v)).equals(v);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static LuaLib lib() {
        try (InputStream in = LuaMoneyArithmeticTest.class.getResourceAsStream("/dev/quota/redis/lib.lua")) {
            return LuaLib.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
