package io.regmgr.example;

import io.regmgr.Attributes;
import io.regmgr.RegistrationStatus;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.CompletionStage;

/**
 * This application as a service in the registry: named after its own HTTP address, described by
 * attributes from configuration. Registered when the application starts (after the web server),
 * kept registered through reconnects, unregistered when it stops.
 */
@ApplicationScoped
@RegistryService(id = OrderService.ID, name = "tcp!${app.host}!${server.port}",
        attributes = {"proto=http", "kind=${app.kind}", "group=${app.group}", "health=/health/ready"})
public class OrderService {
    /** The declaration's id, by which other beans inject its registration. */
    public static final String ID = "self";

    private final ServiceRegistration self;

    /** @param self this service's registration */
    @Inject
    public OrderService(@Registered ServiceRegistration self) {
        this.self = self;
    }

    /** For the container's proxy only. */
    protected OrderService() {
        this.self = null;
    }

    /** @return the name this application is registered under */
    public String name() {
        return self.name();
    }

    /** @return where the registration stands */
    public RegistrationStatus status() {
        return self.status();
    }

    /**
     * Sets an attribute of our own service, live; kept across reconnects.
     *
     * @param attribute the attribute
     * @param value its value
     * @return completes when the registry holds it
     */
    public CompletionStage<Void> set(String attribute, String value) {
        return self.update(Attributes.of(attribute, value));
    }
}
