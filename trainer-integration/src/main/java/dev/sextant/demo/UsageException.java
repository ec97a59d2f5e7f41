package dev.sextant.demo;

/** A command line that cannot run as given; the message says what to change. Exit code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
