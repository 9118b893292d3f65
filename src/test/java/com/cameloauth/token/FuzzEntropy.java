package com.cameloauth.token;

import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Where {@link FuzzInputs} takes its choices from: a seeded random source (the property run) or Jazzer's
 * {@link FuzzedDataProvider} (coverage-guided fuzzing, where the fuzzer steers every choice).
 */
interface FuzzEntropy {
    /** 0 (inclusive) to bound (exclusive). */
    int nextInt(int bound);

    /** origin (inclusive) to bound (exclusive). */
    int nextInt(int origin, int bound);

    int nextInt();

    long nextLong();

    long nextLong(long origin, long bound);

    boolean nextBoolean();

    /** 0 (inclusive) to 1 (exclusive). */
    double nextDouble();

    void nextBytes(byte[] bytes);

    static FuzzEntropy of(SplittableRandom r) {
        return new FuzzEntropy() {
            public int nextInt(int bound) { return r.nextInt(bound); }
            public int nextInt(int origin, int bound) { return r.nextInt(origin, bound); }
            public int nextInt() { return r.nextInt(); }
            public long nextLong() { return r.nextLong(); }
            public long nextLong(long origin, long bound) { return r.nextLong(origin, bound); }
            public boolean nextBoolean() { return r.nextBoolean(); }
            public double nextDouble() { return r.nextDouble(); }
            public void nextBytes(byte[] bytes) { r.nextBytes(bytes); }
        };
    }

    static FuzzEntropy of(FuzzedDataProvider d) {
        return new FuzzEntropy() {
            public int nextInt(int bound) { return d.consumeInt(0, bound - 1); }
            public int nextInt(int origin, int bound) { return d.consumeInt(origin, bound - 1); }
            public int nextInt() { return d.consumeInt(); }
            public long nextLong() { return d.consumeLong(); }
            public long nextLong(long origin, long bound) { return d.consumeLong(origin, bound - 1); }
            public boolean nextBoolean() { return d.consumeBoolean(); }
            public double nextDouble() { return Math.min(d.consumeProbabilityDouble(), Math.nextDown(1.0)); }
            public void nextBytes(byte[] bytes) {
                byte[] b = d.consumeBytes(bytes.length);
                System.arraycopy(b, 0, bytes, 0, b.length);
            }
        };
    }
}
