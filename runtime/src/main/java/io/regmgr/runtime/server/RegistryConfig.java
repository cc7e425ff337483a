package io.regmgr.runtime.server;

import io.regmgr.RegistryException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.auth.FileReadErrors;
import io.regmgr.runtime.protocol.DialAddress;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an {@link EmbeddedRegistry} was built with. Immutable. */
record RegistryConfig(DialAddress styx, DialAddress bridge, Path staticServicesFile, List<ServiceEntry> staticServices,
        String user, ServerLimits limits, CostModel costModel, Vertx vertx) {

    /** The static services: those given programmatically, then those of the attrdb file, read now. */
    List<ServiceEntry> loadStaticServices() {
        List<ServiceEntry> all = new ArrayList<>(staticServices);
        if (staticServicesFile != null) {
            try {
                all.addAll(AttrDb.services(AttrDb.read(staticServicesFile)));
            } catch (IOException e) {
                throw new RegistryServerException("cannot read static services from " + staticServicesFile + ": "
                        + FileReadErrors.reason(e), e);
            } catch (RegistryException e) {
                throw new RegistryServerException("cannot read static services from " + staticServicesFile + ": "
                        + e.getMessage(), e);
            }
        }
        return all;
    }
}
