package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.InvalidEntryException;
import io.regmgr.ServiceEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttrDbTest {
    @Test
    void servicesAreEntriesWithAServiceAttribute() {
        String db = String.join("\n",
                "# static services",
                "service=tcp!db!5432 proto=tcp kind=db",
                "\tdesc='primary ''main'' database'   # a comment",
                "",
                "host=alpha ip=10.0.0.1",
                "service=\"tcp!cache!11211\" proto=tcp flag",
                "   owner=");
        List<ServiceEntry> services = AttrDb.services(AttrDb.parse(db));
        assertThat(services).as("services").containsExactly(
                new ServiceEntry("tcp!db!5432", Attributes.of("proto", "tcp", "kind", "db", "desc", "primary 'main' database")),
                new ServiceEntry("tcp!cache!11211", Attributes.of("proto", "tcp", "flag", "", "owner", "")));
    }

    @Test
    void invalidServiceNamesAreSkipped() {
        List<ServiceEntry> services = AttrDb.services(AttrDb.parse("service='bad name' a=b\nservice=good a=b\n"));
        assertThat(services).as("services").extracting(ServiceEntry::name).containsExactly("good");
    }

    @Test
    void anUnterminatedQuoteNamesTheLine() {
        assertThatThrownBy(() -> AttrDb.parse("service=a\n  desc='open\n")).as("unterminated quote")
                .isInstanceOf(InvalidEntryException.class).hasMessage("attrdb line 2: unterminated ' quote");
    }
}
