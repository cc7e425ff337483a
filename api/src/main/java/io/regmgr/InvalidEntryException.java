package io.regmgr;

/**
 * A service name, attribute or filter that the registry cannot accept, refused before anything
 * was sent. The message names the element, the value and the rule it breaks.
 */
public class InvalidEntryException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the element, the value and the rule
     */
    public InvalidEntryException(String message) {
        super(message);
    }
}
