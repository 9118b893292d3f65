package com.cameloauth.connection;

import java.util.List;

/**
 * One or more connections are misconfigured. The message has one line per problem, each naming the connection and
 * the key, so that a user can fix them all at once. It never contains a secret value.
 */
public class ConnectionConfigurationException extends RuntimeException {
    private final List<String> problems;

    public ConnectionConfigurationException(List<String> problems) {
        super(format(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each, e.g. {@code connection 'orders': key 'token-url': missing}. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder sb = new StringBuilder("Invalid OAuth connection configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> sb.append(System.lineSeparator()).append("  - ").append(p));
        return sb.toString();
    }
}
