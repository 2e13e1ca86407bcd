package dev.descent.spark;

import org.apache.spark.ml.util.Identifiable$;

/**
 * The uid of a Spark ML stage written in Java, known before its superclass's constructor runs.
 *
 * <p>Spark's shared params ({@code featuresCol}, {@code labelCol}, ...) are Scala trait fields,
 * built inside the Scala superclass's constructor, each asking its owner for {@code uid()}. A
 * Java field is still unset then, so a stage made with a given uid (by {@code copy} or by
 * loading) hands it over through this thread-local before calling {@code super()}, and
 * {@code uid()} takes it on first call; a new stage gets a random one.
 */
final class Uids {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private Uids() {}

    /** Passes {@code uid} to the stage about to be constructed on this thread; returns it. */
    static String pass(String uid) {
        PENDING.set(uid);
        return uid;
    }

    /** The uid passed for the stage being constructed, or a new random one with this prefix. */
    static String take(String prefix) {
        String uid = PENDING.get();
        PENDING.remove();
        return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
    }
}
