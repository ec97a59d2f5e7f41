package dev.sextant.report;

/** The file given is not an event log that a report can be made from; the message says why and what to do. */
public final class UnreadableLogException extends Exception {
    public UnreadableLogException(String message) {
        super(message);
    }

    public UnreadableLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
