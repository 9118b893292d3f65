package com.cameloauth.connection;

import java.util.Collection;
import java.util.Optional;

/** "did you mean ...?" for a misspelt key or value: the nearest candidate by edit distance, if it is near enough. */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidate nearest to {@code typed} (ignoring case), when at most a couple of characters apart. */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(t, candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, t.length() / 5);
        return best != null && bestDistance > 0 && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"}, or an empty string. */
    static String didYouMean(String typed, Collection<String> candidates) {
        return nearest(typed, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
