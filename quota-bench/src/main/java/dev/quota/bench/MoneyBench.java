package dev.quota.bench;

import dev.quota.core.Money;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link Money} against {@link BigDecimal} on what a gateway does with prices: parse a decimal text, format an
 * amount, add two amounts. Inputs rotate through 1,024 realistic prices (0.000001 to 99.999999 units with up to
 * 9 decimals) so that nothing is constant-folded.
 */
public class MoneyBench extends PerCallBench {

    private static final int SIZE = 1024;

    private final String[] texts = new String[SIZE];
    private final Money[] monies = new Money[SIZE];
    private final BigDecimal[] decimals = new BigDecimal[SIZE];
    private int i;

    /** Builds the rotating inputs from a fixed seed. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < SIZE; k++) {
            long nanos = random.nextLong(1_000, 100_000_000_000L);
            // trim to between 0 and 9 decimals, as price lists do
            int decimalsKept = random.nextInt(10);
            long unit = (long) Math.pow(10, 9 - decimalsKept);
            nanos = Math.max(unit, nanos / unit * unit);
            monies[k] = Money.ofNanos(nanos);
            texts[k] = monies[k].toPlainString();
            decimals[k] = new BigDecimal(texts[k]);
        }
    }

    private int next() {
        i = (i + 1) & (SIZE - 1);
        return i;
    }

    /**
     * @return {@link Money#parse(String)} of a price text
     */
    @Benchmark
    public Money parseMoney() {
        return Money.parse(texts[next()]);
    }

    /**
     * @return {@code new BigDecimal(String)} of the same text, the peer
     */
    @Benchmark
    public BigDecimal parseBigDecimal() {
        return new BigDecimal(texts[next()]);
    }

    /**
     * @return {@link Money#toPlainString()} (exact, trailing zeros stripped)
     */
    @Benchmark
    public String formatMoney() {
        return monies[next()].toPlainString();
    }

    /**
     * @return {@link BigDecimal#toPlainString()} after {@code stripTrailingZeros()}, the same output
     */
    @Benchmark
    public String formatBigDecimal() {
        return decimals[next()].stripTrailingZeros().toPlainString();
    }

    /**
     * @return {@link Money#plus(Money)} of two prices (overflow-checked {@code long} addition)
     */
    @Benchmark
    public Money plusMoney() {
        int k = next();
        return monies[k].plus(monies[(k + 1) & (SIZE - 1)]);
    }

    /**
     * @return {@link BigDecimal#add(BigDecimal)} of the same two prices
     */
    @Benchmark
    public BigDecimal plusBigDecimal() {
        int k = next();
        return decimals[k].add(decimals[(k + 1) & (SIZE - 1)]);
    }
}
