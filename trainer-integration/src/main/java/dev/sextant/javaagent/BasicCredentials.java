package dev.sextant.javaagent;

/**
 * User and password that {@code /metrics} requires (HTTP basic authentication).
 * {@link #toString()} does not show the password.
 */
public record BasicCredentials(String user, String password) {
    @Override
    public String toString() {
        return user + ":***";
    }
}
