package io.regmgr.it.quarkus;

import io.regmgr.RegistrationStatus;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** This application's service in the registry, named and described from configuration. */
@ApplicationScoped
@RegistryService(id = Orders.ID, name = "tcp!${app.host}!${app.port}", attributes = {"proto=http", "group=${app.group}"})
public class Orders {
    /** The declaration's id. */
    public static final String ID = "orders";

    private final ServiceRegistration self;

    /** @param self this service's registration */
    @Inject
    public Orders(@Registered(ID) ServiceRegistration self) {
        this.self = self;
    }

    /** For the container's proxy only. */
    protected Orders() {
        this.self = null;
    }

    /** @return where our registration stands */
    public RegistrationStatus status() {
        return self.status();
    }
}
