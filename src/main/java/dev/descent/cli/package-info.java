/**
 * The {@code descent} command line: {@link dev.descent.cli.Main} and one picocli command per
 * subcommand (train, gradcheck, doctor, evaluate, predict), with their options in mixins. Each
 * group of options applies itself to a {@link dev.descent.recipe.Recipe} preset, where every
 * default lives ({@link dev.descent.recipe.Defaults}).
 *
 * <p>A thin layer: it parses, checks and reports, and leaves all the work to the library. Not here:
 * anything a Java user of Descent would need; a user's mistake ends as one line and exit code 2
 * ({@link dev.descent.cli.UserError}), never a stack trace.
 */
package dev.descent.cli;
