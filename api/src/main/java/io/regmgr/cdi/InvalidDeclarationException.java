package io.regmgr.cdi;

import io.regmgr.RegistryException;

/**
 * A declared service, monitor or setting that cannot be used: a bad name, attribute or filter, an
 * expression that does not resolve, a setting that does not parse, two services with one name.
 * Reported to the container as a definition error or deployment problem, so the application does
 * not start. The message names the element, the value and the rule.
 */
public class InvalidDeclarationException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /** @param message names the element, the value and the rule */
    public InvalidDeclarationException(String message) {
        super(message);
    }

    /**
     * @param message names the element, the value and the rule
     * @param cause the underlying refusal
     */
    public InvalidDeclarationException(String message, Throwable cause) {
        super(message, cause);
    }
}
