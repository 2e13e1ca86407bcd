package dev.descent.io;

import java.nio.file.Path;

/** {@code TargetProbe FLAG PATH}: prints what {@link PathRules#target} says of an output, for a test run as another user. */
public final class TargetProbe {
    private TargetProbe() {}

    public static void main(String[] args) {
        try {
            System.out.println("ok: " + PathRules.target(args[0], Path.of(args[1])));
        } catch (PathRules.PathException e) {
            System.out.println(e.getMessage());
        }
    }
}
