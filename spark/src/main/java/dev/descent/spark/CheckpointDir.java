package dev.descent.spark;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A fit's checkpoint directory on any file system Hadoop reaches ({@code hdfs://}, {@code s3a://},
 * {@code file://}, or a path on the default file system), so that a rerun in cluster mode finds
 * it whichever machine its driver is on. The file is the library's checkpoint
 * ({@code checkpoint.json}), written and read through a local temporary copy by the library's
 * own writer and strict reader. Written atomically: to a temporary name in the directory, then
 * renamed over the last one, so a reader sees the last whole checkpoint or the one before, never
 * a part of one. A directory Descent cannot write is refused when the fit starts, before
 * anything is trained.
 */
final class CheckpointDir {
    private final String uri;
    private final Path dir;
    private final FileSystem fs;
    private final FileContext files;

    private CheckpointDir(String uri, Path dir, FileSystem fs, FileContext files) {
        this.uri = uri;
        this.dir = dir;
        this.fs = fs;
        this.files = files;
    }

    /** The directory at {@code uri}, made if need be, after a probe file has been written, renamed and removed there. */
    static CheckpointDir of(String uri, Configuration conf) {
        try {
            Path dir = new Path(uri);
            FileSystem fs = dir.getFileSystem(conf);
            dir = fs.makeQualified(dir);
            CheckpointDir d = new CheckpointDir(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf));
            d.probe();
            return d;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("checkpointDir " + uri + ": Descent cannot write there (" + reason(e)
                    + ")" + hint(e), e);
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private static String hint(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No FileSystem for scheme") ? ": put the Hadoop connector of that scheme on the class path "
                + "(hadoop-aws for s3a://), or give a path on the cluster's file system" : "";
    }

    private void probe() throws IOException {
        fs.mkdirs(dir);
        Path probe = new Path(dir, ".descent-probe-" + UUID.randomUUID()), renamed = new Path(probe + ".renamed");
        try {
            fs.create(probe, false).close();
            files.rename(probe, renamed, Options.Rename.OVERWRITE);
        } finally {
            fs.delete(probe, false);
            fs.delete(renamed, false);
        }
    }

    Path file() {
        return new Path(dir, CheckpointFile.NAME);
    }

    /**
     * The checkpoint saved here by a fit of these settings on this data, or null when there is
     * none; a checkpoint of another fit is refused.
     */
    Checkpoint read(List<String> settings, String fingerprint) {
        Checkpoint c;
        try {
            if (!fs.exists(file())) {
                return null;
            }
            java.nio.file.Path local = Files.createTempDirectory("descent-checkpoint");
            try {
                fs.copyToLocalFile(false, file(), new Path(CheckpointFile.in(local).toUri()), true);
                c = CheckpointFile.read(local);
            } finally {
                Files.deleteIfExists(CheckpointFile.in(local));
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpointDir " + uri + ": " + reason(e), e);
        }
        if (!c.args().equals(settings)) {
            throw new IllegalArgumentException("the checkpoint in " + uri + " was saved by a fit with other settings: "
                    + c.args() + ", not " + settings + "; give a new checkpointDir for a new run");
        }
        if (!c.dataFingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException("the checkpoint in " + uri + " was saved on other data (or other blocks "
                    + "of it): fingerprint " + c.dataFingerprint() + ", now " + fingerprint);
        }
        return c;
    }

    /** Writes {@code c} to a temporary name here, then renames it over the last checkpoint. */
    void write(Checkpoint c) {
        Path temporary = new Path(dir, "." + CheckpointFile.NAME + "." + UUID.randomUUID() + ".tmp");
        try {
            java.nio.file.Path local = Files.createTempDirectory("descent-checkpoint");
            try {
                CheckpointFile.write(local, c);
                fs.copyFromLocalFile(false, true, new Path(CheckpointFile.in(local).toUri()), temporary);
                files.rename(temporary, file(), Options.Rename.OVERWRITE);
            } finally {
                Files.deleteIfExists(CheckpointFile.in(local));
                Files.deleteIfExists(local);
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint in " + uri, e);
        }
    }

    @Override
    public String toString() {
        return uri;
    }
}
