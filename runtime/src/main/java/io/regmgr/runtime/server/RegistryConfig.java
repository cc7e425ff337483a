package io.regmgr.runtime.server;

import io.regmgr.RegistryException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.DialAddress;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
                        + reason(e), e);
            } catch (RegistryException e) {
                throw new RegistryServerException("cannot read static services from " + staticServicesFile + ": "
                        + e.getMessage(), e);
            }
        }
        return all;
    }

    /**
     * Why a file could not be read, in words: the JDK's file exceptions carry the path as their
     * message ({@code NoSuchFileException: /x.db}), which the caller already names.
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "not readable (permission denied)";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return message == null || (e instanceof FileSystemException g && message.equals(g.getFile()))
                ? e.getClass().getSimpleName() : message;
    }
}
