package dev.descent.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system of a scheme of its own, {@code othertest://}, kept in local files: what a
 * test gives checkpointDir to show that the URI goes through Hadoop's FileSystem, as hdfs:// and
 * s3a:// do, not through java.nio.
 */
public class OtherFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "othertest";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    /** Registers the scheme in {@code conf}, for FileSystem and FileContext. */
    static void register(Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", OtherFileSystem.class.getName());
        conf.set("fs.AbstractFileSystem." + SCHEME + ".impl", Abstract.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    }

    /** The same, as FileContext takes a file system. */
    public static class Abstract extends DelegateToFileSystem {
        public Abstract(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new OtherFileSystem(), conf, SCHEME, false);
        }
    }
}
