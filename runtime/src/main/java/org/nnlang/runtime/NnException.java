package org.nnlang.runtime;

/**
 * A problem the user can fix, found while running: a damaged data file, a missing folder, a device that is not
 * there. Its message is written for the user and names the thing at fault; the command line prints it as
 * {@code error: …} and exits with status 2, never with a stack trace.
 */
public class NnException extends RuntimeException {
    public NnException(String message) {
        super(message);
    }

    public NnException(String message, Throwable cause) {
        super(message, cause);
    }
}
