package dev.sextant.demo;

/**
 * One command-line flag, for parsing and for {@code --help}.
 *
 * @param name        with its dashes, e.g. {@code --steps}
 * @param valueName   placeholder shown in help, e.g. {@code N}; {@code null} for a switch without a value
 * @param defaultText the default as shown in help (with its unit), or {@code null} when none
 * @param help        what it does, one line
 */
public record Flag(String name, String valueName, String defaultText, String help) {

    public static Flag value(String name, String valueName, String defaultText, String help) {
        return new Flag(name, valueName, defaultText, help);
    }

    public static Flag toggle(String name, String help) {
        return new Flag(name, null, null, help);
    }

    public boolean takesValue() {
        return valueName != null;
    }
}
