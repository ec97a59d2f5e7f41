package dev.sextant.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits arguments into flag values: {@code --name value} or {@code --name=value}, switches as
 * {@code --name}. Unknown flags, missing values, repeated flags and stray words are usage errors
 * that name the offending argument.
 */
public final class FlagParser {
    private final List<Flag> flags;

    public FlagParser(List<Flag> flags) {
        this.flags = List.copyOf(flags);
    }

    /** The flags given, by name (with dashes); a switch maps to {@code "true"}. */
    public Map<String, String> parse(List<String> args) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; flags start with -- (see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Flag flag = find(name);
            String value;
            if (!flag.takesValue()) {
                if (eq >= 0) {
                    throw new UsageException(name + " takes no value; write just " + name);
                }
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !looksLikeFlag(args.get(i + 1))) {
                value = args.get(++i);
            } else {
                throw new UsageException(name + " needs a value: " + name + " " + flag.valueName());
            }
            if (given.put(name, value) != null) {
                throw new UsageException(name + " is given twice; keep one");
            }
        }
        return given;
    }

    private Flag find(String name) throws UsageException {
        for (Flag f : flags) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new UsageException("unknown flag " + name + "; run with --help to see the flags");
    }

    /** A word that starts with {@code --} is the next flag, not a value (negative numbers use one dash). */
    private static boolean looksLikeFlag(String s) {
        return s.startsWith("--");
    }

    /** Help lines for the flags: name, value, description and default, aligned. */
    public String help() {
        int width = 0;
        for (Flag f : flags) {
            width = Math.max(width, left(f).length());
        }
        StringBuilder sb = new StringBuilder();
        for (Flag f : flags) {
            sb.append("  ").append(String.format("%-" + width + "s", left(f))).append("  ").append(f.help());
            if (f.defaultText() != null) {
                sb.append(" (default: ").append(f.defaultText()).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String left(Flag f) {
        return f.takesValue() ? f.name() + " " + f.valueName() : f.name();
    }
}
