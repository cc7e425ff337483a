package io.regmgr.it.liberty;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /peers: the names the monitor's events reported, one per line. */
@Path("/peers")
public class PeersResource {
    @Inject
    Peers peers;

    /** @return the names, one per line */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String names() {
        return String.join("\n", peers.names());
    }
}
