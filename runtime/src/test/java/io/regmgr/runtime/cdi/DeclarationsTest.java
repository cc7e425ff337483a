package io.regmgr.runtime.cdi;

import io.regmgr.ServiceEntry;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What both CDI front ends share, without a container: the build-compatible extension cannot run
 * on Weld (it is skipped there in favour of the portable one), so its logic is tested here, with
 * the messages the Weld deployment-failure tests check on the portable extension.
 */
class DeclarationsTest {
    private final Declarations declarations = new Declarations(CdiTesting.mpConfig(Map.of("app.port", "8080",
            "regmgr.services.extra.name", "tcp!extra!1")));

    @Test
    void aDeclaringClassIsCheckedOnceAndOnlyIfRecorded() {
        declarations.declaring("com.example.Orders");
        declarations.declaring("com.example.Abstract");

        assertThat(declarations.firstCheck("com.example.Orders")).as("first check of a declaring class").isTrue();
        assertThat(declarations.firstCheck("com.example.Orders")).as("second check").isFalse();
        assertThat(declarations.firstCheck("com.example.Other")).as("a class that declares nothing").isFalse();
        assertThat(declarations.checked()).as("checked").containsExactly("com.example.Orders");
        assertThat(declarations.unchecked()).as("never a managed bean").containsExactly("com.example.Abstract");
        assertThat(Declarations.notABean("com.example.Abstract")).as("the warning")
                .startsWith("RegMgr ignores the declarations on com.example.Abstract: it is not a managed bean");
    }

    @Test
    void configurationIsAddedAndSettingsReadWhenComplete() {
        assertThat(declarations.model().declareService("com.example.Orders", "orders", "tcp!orders!${app.port}",
                new String[] {"proto=http"})).as("problems of orders").isEmpty();

        assertThat(declarations.complete()).as("problems of configuration").isEmpty();

        assertThat(declarations.model().services()).extracting(DeclaredService::entry)
                .containsExactly(ServiceEntry.of("tcp!orders!8080", "proto", "http"), ServiceEntry.of("tcp!extra!1"));
        assertThat(declarations.settings()).as("settings").isNotNull();
        assertThat(declarations.deploymentProblems()).as("deployment problems").isEmpty();
    }

    @Test
    void observersOfUnknownOrUnnamedMonitorsAreDeploymentProblems() {
        declarations.model().declareMonitor("com.example.Peers", "peers", new String[] {"kind=peer"});
        declarations.observed("peers", "com.example.A observing io.regmgr.cdi.ServiceChange");
        declarations.observed("nope", "com.example.B observing io.regmgr.cdi.ServiceAdded");
        declarations.observed("", "com.example.C observing io.regmgr.cdi.ServiceRemoved");
        declarations.complete();

        assertThat(declarations.deploymentProblems()).as("deployment problems").containsExactly(
                "Unknown monitor 'nope' in @Monitored on com.example.B observing io.regmgr.cdi.ServiceAdded:"
                        + " no monitor has that name (declared: peers)",
                "Invalid @Monitored without a monitor name on com.example.C observing io.regmgr.cdi.ServiceRemoved:"
                        + " name the monitor, or leave @Monitored out to observe every monitor");
    }

    @Test
    void clashesAndInvalidSettingsAreDeploymentProblems() {
        Declarations bad = new Declarations(CdiTesting.mpConfig(Map.of(RegMgrConfig.CONNECT_TIMEOUT, "soon")));
        bad.model().declareService("com.example.A", "a", "tcp!same!1", new String[0]);
        bad.model().declareService("com.example.B", "b", "tcp!same!1", new String[0]);
        bad.complete();

        assertThat(bad.deploymentProblems()).as("deployment problems").hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("com.example.A").contains("com.example.B").contains("tcp!same!1"))
                .anySatisfy(p -> assertThat(p).contains(RegMgrConfig.CONNECT_TIMEOUT).contains("soon"));
    }

    @Test
    void defaultIdFromNamesAsABuildTimeModelSeesThem() {
        assertThat(DeclarationModel.defaultServiceId("Orders", "com.example.Orders")).isEqualTo("orders");
        assertThat(DeclarationModel.defaultServiceId("", "com.example.Outer$1")).as("anonymous").isEqualTo("com.example.Outer$1");
        assertThat(DeclarationModel.defaultServiceId(DeclarationsTest.class))
                .isEqualTo(DeclarationModel.defaultServiceId("DeclarationsTest", DeclarationsTest.class.getName()));
    }
}
