package io.regmgr.it.liberty;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST resources, at the root. */
@ApplicationPath("/")
public class RestApplication extends Application {
}
