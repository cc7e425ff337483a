package io.regmgr.example;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.concurrent.CompletionStage;

/**
 * {@code GET /services}: what this instance sees of its group; {@code PUT /services/self/{attr}}:
 * set an attribute of its own service, live.
 */
@Path("/services")
@ApplicationScoped
public class ServicesResource {
    private final PeerView view;
    private final OrderService self;

    /**
     * @param view the live view
     * @param self our own service
     */
    @Inject
    public ServicesResource(PeerView view, OrderService self) {
        this.view = view;
        this.self = self;
    }

    /** For the container's proxy only. */
    protected ServicesResource() {
        this(null, null);
    }

    /** @return this instance, the registry connection and the services it sees with their last change */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject services() {
        JsonArrayBuilder services = Json.createArrayBuilder();
        view.peers().forEach(p -> {
            JsonObjectBuilder attributes = Json.createObjectBuilder();
            p.attributes().forEach(attributes::add);
            services.add(Json.createObjectBuilder().add("name", p.name()).add("self", p.name().equals(self.name()))
                    .add("attributes", attributes).add("lastChange", p.lastChange().toString())
                    .add("origin", p.origin().name()));
        });
        PeerView.Connection c = view.connection();
        JsonObjectBuilder registry = Json.createObjectBuilder().add("connected", c.connected());
        if (c.since() != null) {
            registry.add("since", c.since().toString());
        }
        return Json.createObjectBuilder().add("self", self.name()).add("registration", self.status().state().name())
                .add("registry", registry).add("services", services).build();
    }

    /**
     * @param attribute the attribute to set on our own service
     * @param value its new value
     * @return completes when the registry holds it
     */
    @PUT
    @Path("/self/{attribute}")
    @Consumes(MediaType.TEXT_PLAIN)
    public CompletionStage<Void> set(@PathParam("attribute") String attribute, String value) {
        return self.set(attribute, value.strip());
    }
}
