package dev.sextant.javaagent;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text given for one {@link AgentOption} and where it came from; converts it to the option's
 * type or fails with a message naming the option, the value, the source and what is allowed.
 */
record Setting(AgentOption option, String value, Source source) {

    /** Where a value came from, in precedence order: earlier wins. */
    enum Source {
        AGENT_ARGUMENT,
        ENVIRONMENT,
        SYSTEM_PROPERTY
    }

    /** Label values Prometheus and the builder accept: the builder's own rule. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.:-]+");

    /** Where the value came from, as a person reads it. */
    String origin() {
        return switch (source) {
            case AGENT_ARGUMENT -> "in the -javaagent argument";
            case ENVIRONMENT -> "from environment variable " + option.environmentVariable();
            case SYSTEM_PROPERTY -> "from system property " + option.systemProperty();
        };
    }

    AgentConfigException invalid(String why) {
        return new AgentConfigException(option.key() + "=" + value + " (" + origin() + "): " + why
                + "; allowed: " + option.allowed());
    }

    long asLong(long min, long max) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid("not a whole number");
        }
        if (v < min || v > max) {
            throw invalid("out of range");
        }
        return v;
    }

    int asInt(int min, int max) {
        return (int) asLong(min, max);
    }

    /** A number in {@code (minExclusive, maxInclusive]}. */
    double asFraction(double minExclusive, double maxInclusive) {
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw invalid("not a number");
        }
        if (!(v > minExclusive && v <= maxInclusive)) {
            throw invalid("out of range");
        }
        return v;
    }

    /** A byte count with an optional binary suffix: {@code 4096}, {@code 64k}, {@code 256m}, {@code 2g}. */
    long asBytes(long min) {
        String t = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalid("not a byte count");
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw invalid("out of range");
        }
        long bytes = n << shift;
        if (bytes < min) {
            throw invalid("too small");
        }
        return bytes;
    }

    boolean asBoolean() {
        String t = value.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false")) {
            return false;
        }
        throw invalid("not true or false");
    }

    /** A label value of at most {@code maxLength} characters. */
    String asLabel(int maxLength) {
        if (value.isEmpty() || value.length() > maxLength || !LABEL.matcher(value).matches()) {
            throw invalid("not a label value");
        }
        return value;
    }

    String asNonBlank() {
        if (value.isBlank()) {
            throw invalid("empty");
        }
        return value.trim();
    }

    <E extends Enum<E>> E asEnum(Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw invalid("unknown value");
    }

    /** {@code user:password}; the password may contain ':' (only the first one separates). */
    BasicCredentials asCredentials() {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            // Never echo what may be a password: name the option and the shape only.
            throw new AgentConfigException(option.key() + " (" + origin() + "): not user:password with both parts "
                    + "non-empty; allowed: " + option.allowed());
        }
        return new BasicCredentials(value.substring(0, colon), value.substring(colon + 1));
    }
}
