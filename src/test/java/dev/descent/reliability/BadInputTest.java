package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input, through the command line: exit code 2, one line on standard error that
 * names what was wrong and where, no stack trace, and no output file. {@code FILE} and
 * {@code DIR} in a case stand for the fixture it writes and the temporary directory.
 */
class BadInputTest {
    @TempDir
    static Path shared;

    Path dir;

    record Case(String name, String fixture, String content, String args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String MODEL_HEAD = "{\"format\": \"descent-model\", \"version\": 1, \"inputs\": 5, \"layers\": ";
    static final String GOOD_LAYERS = "[{\"type\": \"dense\", \"weights\": [[1,0],[0,1],[1,1],[0,0],[1,0]], \"bias\": [0,0]}]";

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        // Flags
        c.add(new Case("zero learning rate", null, null, "train --lr 0", "--lr: '0' must be a positive number"));
        c.add(new Case("negative epochs", null, null, "train --epochs -3", "--epochs: '-3' must be at least 1"));
        c.add(new Case("zero batch", null, null, "train --batch 0", "--batch: '0' must be at least 1"));
        c.add(new Case("batch not a number", null, null, "train --batch many", "--batch: 'many' is not a whole number"));
        c.add(new Case("malformed layers", null, null, "train --layers 20,,5", "--layers: '20,,5' is not a list of layers: item 2 is empty"));
        c.add(new Case("unknown activation", null, null, "train --activation swish", "--activation: 'swish' is not one of relu, sigmoid, tanh"));
        c.add(new Case("unknown optimizer", null, null, "train --optimizer lbfgs", "--optimizer: 'lbfgs' is not one of sgd, momentum, adam"));
        c.add(new Case("unknown init", null, null, "train --init glorot", "--init: 'glorot' is neither uniform01, xavier, he, pytorch nor an existing model file"));
        c.add(new Case("missing data file", null, null, "train --data DIR/none.csv", "--data: DIR/none.csv: no such file or directory"));
        c.add(new Case("directory as data", null, null, "train --data DIR", "--data: DIR is a directory without train-images-idx3-ubyte[.gz]"));
        c.add(new Case("directory as model", null, null, "evaluate --model DIR", "--model: DIR: is a directory, expected a model file"));
        c.add(new Case("directory as output", null, null, "train --save DIR", "--save: DIR is a directory; give a file name"));
        c.add(new Case("unknown dtype", null, null, "train --dtype float16", "--dtype: 'float16' is not float64 or float32"));
        c.add(new Case("float32 central differences", null, null, "train --dtype float32 --gradient numerical",
                "--dtype float32: central differences need float64"));
        c.add(new Case("validation split of 1", null, null, "train --validation-split 1", "--validation-split: '1.0' must be a fraction between 0 and 1"));
        // CSV
        c.add(new Case("empty CSV", "d.csv", "", "train --data FILE", "FILE: empty file"));
        c.add(new Case("header only", "d.csv", "a,b,label\n", "train --data FILE", "FILE: a header but no data rows"));
        c.add(new Case("ragged rows", "d.csv", "a,b,label\n1,2,x\n3,y\n", "train --data FILE", "FILE:3: 2 values, but the header has 3 columns"));
        c.add(new Case("non-numeric value", "d.csv", "a,b,label\n1,2,x\n3,four,y\n", "train --data FILE", "FILE:3:2: 'four' is not a number"));
        c.add(new Case("NaN feature", "d.csv", "a,b,label\n1,NaN,x\n3,4,y\n", "train --data FILE", "FILE:2:2: 'NaN' is not a finite number"));
        c.add(new Case("infinite feature", "d.csv", "a,b,label\n1,2,x\n-Infinity,4,y\n", "train --data FILE", "FILE:3:1: '-Infinity' is not a finite number"));
        c.add(new Case("unknown label column", "d.csv", "a,b,label\n1,2,x\n", "train --data FILE --label kind", "FILE: no label column 'kind'"));
        c.add(new Case("a single class", "d.csv", "a,b,label\n1,2,x\n3,4,x\n", "train --data FILE", "FILE has only one class, 'x'; a classifier needs at least two"));
        c.add(new Case("missing values", "d.csv", "a,b,label\n1,2,x\n3,,y\n,NA,x\n", "train --data FILE",
                "--data: FILE: 3 missing values in 2 rows, first at FILE:3:2; leave those rows out with --drop-missing"));
        c.add(new Case("hexadecimal float", "d.csv", "a,b,label\n1,2,x\n0x1p3,4,y\n", "train --data FILE", "FILE:3:1: '0x1p3' is not a number"));
        c.add(new Case("Java's float suffix", "d.csv", "a,b,label\n1,2f,x\n3,4,y\n", "train --data FILE", "FILE:2:2: '2f' is not a number"));
        c.add(new Case("NUL byte in a number", "d.csv", "a,b,label\n1,2\u0000,x\n3,4,y\n", "train --data FILE", "FILE:2:2: '2\\u0000' is not a number"));
        c.add(new Case("column to leave out that is not there", "d.csv", "id,a,label\n1,2,x\n", "train --data FILE --ignore ID",
                "FILE: no column 'ID' to leave out; the header names id, a, label"));
        c.add(new Case("two-character delimiter", null, null, "train --data DIR/d.csv --delimiter ;;", "--delimiter: ';;' must be one character"));
        // IDX (a directory with a bad training images file)
        c.add(new Case("IDX wrong magic", "idx", "magic", "train --data FILE", "train-images-idx3-ubyte: wrong magic number 0x12340803"));
        c.add(new Case("IDX truncated", "idx", "truncated", "train --data FILE", "train-images-idx3-ubyte: truncated: the header promises 12 values [3, 2, 2] but the file holds 7"));
        c.add(new Case("IDX header promising too much", "idx", "huge", "train --data FILE", "train-images-idx3-ubyte: truncated: the header promises 2000000000 values"));
        c.add(new Case("IDX counts differ", "idx", "counts", "train --data FILE", "holds 3 images but"));
        c.add(new Case("IDX of floats", "idx", "type", "train --data FILE", "IDX type 0x09 is not supported; Descent reads unsigned bytes (0x08)"));
        c.add(new Case("IDX corrupt gzip", "idx", "gzip", "train --data FILE", "train-images-idx3-ubyte.gz: not a valid gzip stream"));
        c.add(new Case("IDX cut-off gzip", "idx", "cut", "train --data FILE", "train-images-idx3-ubyte.gz: the gzip stream ends early; the file is truncated"));
        // Model files
        c.add(new Case("model not JSON", "m.json", "weights: 1 2 3", "train --init FILE", "FILE: not valid JSON (line 1, column"));
        c.add(new Case("model of another format", "m.json", "{\"format\": \"keras\", \"version\": 1}", "train --init FILE", "FILE: not a Descent model: \"format\" is \"keras\""));
        c.add(new Case("weights too short to be safetensors", "w.safetensors", "abc", "train --init FILE",
                "--init: FILE: not a safetensors file: 3 bytes, shorter than the 8 of its header's length"));
        c.add(new Case("weights that are not a zip", "w.npz", "weights: 1 2 3", "gradcheck --init FILE",
                "--init: FILE: not an .npz archive"));
        c.add(new Case("safetensors header that is not an object", "w.safetensors", "\u0002\0\0\0\0\0\0\0[]",
                "doctor --init FILE", "--init: FILE: not a safetensors file: the header does not start with '{'"));
        c.add(new Case("export to nothing", "m.json", "{}", "export --model FILE", "give at least one of --onnx, --safetensors, --npz"));
        c.add(new Case("export of a model that is not one", "m.json", "[1, 2]", "export --model FILE --onnx DIR/m.onnx",
                "--model: FILE: not a Descent model (expected a JSON object)"));
        c.add(new Case("model from the future", "m.json", "{\"format\": \"descent-model\", \"version\": 7}", "train --init FILE", "FILE: model format version 7 is not supported"));
        c.add(new Case("shapes that do not chain", "m.json", MODEL_HEAD + "[{\"type\": \"dense\", \"weights\": [[1],[1],[1]], \"bias\": [0]}]}", "train --init FILE", "layers[0]: weights have 3 rows but the layer before gives 5 values"));
        c.add(new Case("NaN weight", "m.json", MODEL_HEAD + "[{\"type\": \"dense\", \"weights\": [[NaN]], \"bias\": [0]}]}", "train --init FILE", "FILE: not valid JSON"));
        c.add(new Case("infinite weight", "m.json", MODEL_HEAD + "[{\"type\": \"dense\", \"weights\": [[1e999],[0],[0],[0],[0]], \"bias\": [0]}]}", "train --init FILE", "layers[0].weights[0][0] is Infinity; parameters must be finite"));
        c.add(new Case("model for other data", "m.json", MODEL_HEAD.replace("\"inputs\": 5", "\"inputs\": 2") + "[{\"type\": \"dense\", \"weights\": [[1],[1]], \"bias\": [0]}]}", "train --init FILE", "FILE takes 2 inputs but the data has 5 features"));
        c.add(new Case("model with unknown field", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"class\": \"java.lang.Runtime\"}", "train --init FILE", "unknown field \"class\""));
        c.add(new Case("checkpoint directory without checkpoint", null, null, "train --resume DIR", "--resume: DIR: no checkpoint.json"));
        newCases(c);
        regressionCases(c);
        reliability3Cases(c);
        return c.stream().map(Arguments::of);
    }

    /** Issue 25: what a run's own text and the edges of the readers could still do. */
    static void reliability3Cases(List<Case> c) {
        // A class name a model file could not hold: refused before training, not found out by predict
        c.add(new Case("class name longer than a model file holds", "d.csv", "a,b,label\n1,2,short\n3,4," + "L".repeat(70_000) + "\n", "train --data FILE",
                "--save: class 1 of 2 is 'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL... (70,000 characters)'; a model file holds strings of at most 65,536 characters"));
        c.add(new Case("model with a string of a million characters", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"classes\": [\"" + "x".repeat(1_000_000) + "\", \"b\"]}", "predict --model FILE --data DIR",
                "FILE: refused: a string of more than 65,536 characters"));
        c.add(new Case("checkpoint argument longer than a checkpoint holds", "d.csv", "a," + "y".repeat(70_000) + "\n1,p\n2,q\n", "train --data FILE --label " + "y".repeat(70_000) + " --checkpoint DIR/run",
                "--checkpoint: an argument of 70,000 characters"));
        // Ambiguous column names: refused, naming both positions
        c.add(new Case("label named by two columns", "d.csv", "a,y,b,y\n1,0,2,0\n3,1,4,1\n", "train --data FILE --label y",
                "FILE: the header names two columns 'y', 2 and 4; give the column by its number"));
        c.add(new Case("column to leave out named by two columns", "d.csv", "a,a,label\n1,2,x\n3,4,y\n", "train --data FILE --ignore a",
                "FILE: the header names two columns 'a', 1 and 2"));
        c.add(new Case("regression target named by two columns", "d.csv", "a,y,y\n1,2,2\n3,4,4\n", "train --data FILE --task regression --label y",
                "FILE: the header names two columns 'y', 2 and 3"));
        c.add(new Case("prediction's label named by two columns", "m.json", GOOD_MODEL.replace("\"inputs\": 5", "\"inputs\": 1").replace(GOOD_LAYERS, "[{\"type\": \"dense\", \"weights\": [[1,0]], \"bias\": [0,0]}]"),
                "predict --model FILE --data DIR/dup.csv --label y", "dup.csv: the header names two columns 'y', 1 and 2"));
        // Messages stay one readable line whatever the header holds
        c.add(new Case("unknown label in a header with a 1 MB column name", "d.csv", "a," + "n".repeat(1_000_000) + ",label\n1,2,x\n3,4,y\n", "train --data FILE --label nosuch",
                "FILE: no label column 'nosuch'; the header names a, nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn... (1,000,000 characters), label, or give a column number from 1 to 3"));
        c.add(new Case("a cell of 17 million characters", "d.csv", "a,b,label\n1,2,x\n3," + "9".repeat(17_000_000) + ",y\n", "train --data FILE",
                "FILE:3: a cell longer than 16,777,216 characters"));
        // Finite values that would overflow the statistics: standardised when a double can hold the result, refused in one line otherwise
        c.add(new Case("standardising values further from their mean than a double holds", "d.csv", "a,b,label\n-1.7e308,1,x\n1.7e308,2,y\n1.7e308,3,x\n", "train --data FILE --standardize",
                "--standardize: feature 'a': values from -1.70000e+308 to 1.70000e+308 lie further from their mean than a double can hold"));
        c.add(new Case("standardising targets further from their mean than a double holds", "d.csv", "a,y\n1,-1.7e308\n2,1.7e308\n3,1.7e308\n", "train --data FILE --task regression --standardize-targets",
                "--standardize-targets: target 'y': values from -1.70000e+308 to 1.70000e+308"));
        // The checkpoint directory's own lock is no place for another output
        c.add(new Case("model saved over the checkpoint's lock", "ckdir", null, "train --checkpoint FILE --save FILE/.lock",
                "--save: FILE/.lock is also the --checkpoint file"));
    }

    /**
     * Issue 15 on issue 13's and 14's rules: regression targets are read by the same CSV reader as
     * features, and a regression model's fields by the same strict model reader, with every rule.
     */
    static void regressionCases(List<Case> c) {
        String linear = MODEL_HEAD + GOOD_LAYERS + ", \"output\": \"linear\"";
        String stats = "{\"mean\": [0, 0], \"std\": [1, 1]}";
        c.add(new Case("regression model with classes", "m.json", linear + ", \"classes\": [\"a\", \"b\"]}", "train --init FILE", "FILE: \"classes\" goes with output \"softmax\", but \"output\" is \"linear\""));
        c.add(new Case("classifier with targets", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"targets\": [\"y\", \"z\"]}", "train --init FILE", "FILE: \"targets\" goes with output \"linear\", but \"output\" is \"softmax\""));
        c.add(new Case("model with an unknown output", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"output\": \"sigmoid\"}", "train --init FILE", "FILE: \"output\" is \"sigmoid\"; this Descent supports \"softmax\" and \"linear\""));
        c.add(new Case("model with a target named twice", "m.json", linear + ", \"targets\": [\"y\", \"y\"]}", "predict --model FILE --data DIR/none.csv", "FILE: targets[1] repeats targets[0], \"y\"; every target needs its own name"));
        c.add(new Case("model with a number as target name", "m.json", linear + ", \"targets\": [\"y\", 2]}", "evaluate --model FILE", "FILE: targets[1] must be a string, found 2"));
        c.add(new Case("classifier standardising targets", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"preprocessing\": {\"standardizeTargets\": " + stats + "}}", "train --init FILE", "FILE: preprocessing.standardizeTargets needs \"output\": \"linear\""));
        c.add(new Case("target statistics of the wrong width", "m.json", linear + ", \"preprocessing\": {\"standardizeTargets\": {\"mean\": [0], \"std\": [1]}}}", "train --init FILE", "FILE: preprocessing.standardizeTargets.mean must be an array of 2 numbers, one per target, found 1 values"));
        c.add(new Case("target std of zero", "m.json", linear + ", \"preprocessing\": {\"standardizeTargets\": {\"mean\": [0, 0], \"std\": [1, 0]}}}", "train --init FILE", "FILE: preprocessing.standardizeTargets.std[1] is 0.0; it must be positive"));
        c.add(new Case("target statistics with an extra field", "m.json", linear + ", \"preprocessing\": {\"standardizeTargets\": {\"mean\": [0, 0], \"std\": [1, 1], \"n\": 3}}}", "train --init FILE", "FILE: \"preprocessing\" must hold \"standardize\", \"standardizeTargets\" or both"));
        c.add(new Case("regression model with unknown preprocessing", "m.json", linear + ", \"preprocessing\": {\"standardizeTargets\": " + stats + ", \"log\": true}}", "train --init FILE", "FILE: \"preprocessing\" must hold \"standardize\", \"standardizeTargets\" or both"));
        c.add(new Case("model with a target name too long", "m.json", linear + ", \"targets\": [\"" + "y".repeat(70_000) + "\", \"z\"]}", "predict --model FILE --data DIR", "FILE: refused (line 1, column 178): a string of 70000 characters, more than 65536"));
        c.add(new Case("weight decay as a Java float", null, null, "train --weight-decay 1e-3f", "Invalid value for option '--weight-decay': '1e-3f' is not a number"));
        c.add(new Case("dropout in hexadecimal", null, null, "train --dropout 0x1p-2", "Invalid value for option '--dropout': '0x1p-2' is not a number"));
        c.add(new Case("huber delta as a Java double", null, null, "train --task regression --loss huber --huber-delta 2d", "Invalid value for option '--huber-delta': '2d' is not a number"));
        c.add(new Case("regression target not a number", "d.csv", "a,y\n1,2\n3,x\n", "train --data FILE --task regression --label y", "FILE:3:2: 'x' is not a number"));
        c.add(new Case("regression target as a Java float", "d.csv", "a,y\n1,2\n3,4f\n", "train --data FILE --task regression", "FILE:3:2: '4f' is not a number"));
        c.add(new Case("regression target infinite", "d.csv", "a,y\n1,2\n3,1e999\n", "train --data FILE --task regression", "FILE:3:2: '1e999' is not a finite number"));
        c.add(new Case("regression targets missing", "d.csv", "a,y\n1,2\n3,NA\n4,\n", "train --data FILE --task regression", "--data: FILE: 2 missing values in 2 rows, first at FILE:3:2; leave those rows out with --drop-missing"));
        c.add(new Case("regression target also left out", "d.csv", "a,y\n1,2\n", "train --data FILE --task regression --label y --ignore y", "FILE: the target column 'y' is also left out"));
        c.add(new Case("regression with every column a target", "d.csv", "a,y\n1,2\n", "train --data FILE --task regression --label a,y", "FILE: every column is a target; at least one must be a feature"));
        c.add(new Case("regression from a directory", null, null, "train --data DIR --task regression", "--task regression: DIR is a directory; give a CSV file"));
        c.add(new Case("regression model evaluated on classes", "m.json", linear + ", \"targets\": [\"y\", \"z\"]}", "evaluate --model FILE --no-plot", "--data: give the CSV file with the targets to evaluate this regression model on"));
    }

    static final String GOOD_MODEL = MODEL_HEAD + GOOD_LAYERS + "}";

    /** Issue 13: the holes a hostile tester found, by class, with cases of each class beyond the examples. */
    static void newCases(List<Case> c) {
        // Options that would be silently ignored
        c.add(new Case("plot and no plot", null, null, "train --no-plot --plot DIR/x.png", "--plot: no loss curve is drawn with --no-plot"));
        c.add(new Case("log scale and no plot", null, null, "train --no-plot --log-scale", "--log-scale: no loss curve is drawn with --no-plot"));
        c.add(new Case("checkpoint-every without checkpoint", null, null, "train --checkpoint-every 3", "--checkpoint-every: only used with --checkpoint"));
        c.add(new Case("confusion and no plot", "m.json", GOOD_MODEL, "evaluate --model FILE --no-plot --confusion DIR/c.png", "--confusion: no confusion matrix is drawn with --no-plot"));
        // Strict numbers in flags: only what JSON would write
        c.add(new Case("learning rate in hexadecimal", null, null, "train --lr 0x1p3", "Invalid value for option '--lr': '0x1p3' is not a number"));
        c.add(new Case("learning rate as a Java float", null, null, "train --lr 2f", "Invalid value for option '--lr': '2f' is not a number"));
        c.add(new Case("validation split as a Java double", null, null, "train --validation-split 0.5d", "'0.5d' is not a number"));
        c.add(new Case("h with a NUL byte", null, null, "gradcheck --h 1e-6\u0000", "is not a number"));
        // Sizes past the bounds, refused before anything is built
        c.add(new Case("hidden layers past the parameter bound", null, null, "train --layers 100000,100000,10", "--layers: '100000,100000,10' makes more than 100,000,000 parameters"));
        c.add(new Case("very wide layers", null, null, "train --layers 1000000,1000000", "makes more than 100,000,000 parameters"));
        c.add(new Case("a CSV too wide for its first layer", "wide", null, "train --data FILE --no-header", "--data: the network 1000000-128-2 would have 128,000,386 parameters; at most 100,000,000 are allowed"));
        // Model files: strict JSON, and every rule of the format
        c.add(new Case("model with a duplicate key", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"inputs\": 5}", "train --init FILE", "FILE: not valid JSON (line 1, column"));
        c.add(new Case("model version 2^32+1", "m.json", "{\"format\": \"descent-model\", \"version\": 4294967297}", "train --init FILE", "FILE: model format version 4294967297 is not supported"));
        c.add(new Case("model version 1.0", "m.json", "{\"format\": \"descent-model\", \"version\": 1.0}", "train --init FILE", "FILE: \"version\" must be a whole number written without a fraction or exponent, found 1.0"));
        c.add(new Case("model with text after the JSON", "m.json", GOOD_MODEL + " {\"more\": 1}", "train --init FILE", "FILE: refused (line 1, column"));
        c.add(new Case("model with an object in training", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"training\": {\"seed\": {\"x\": 1}}}", "train --init FILE", "FILE: training.seed must be a string, a finite number or a boolean"));
        c.add(new Case("model with a number as class name", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"classes\": [1, \"b\"]}", "train --init FILE", "FILE: classes[0] must be a string, found 1"));
        c.add(new Case("model with a class named twice", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"classes\": [\"a\", \"a\"]}", "train --init FILE", "FILE: classes[1] repeats classes[0]"));
        c.add(new Case("model with inputs 5.0", "m.json", GOOD_MODEL.replace("\"inputs\": 5", "\"inputs\": 5.0"), "train --init FILE", "FILE: \"inputs\" must be a positive whole number, found 5.0"));
        c.add(new Case("model with a relu that has weights", "m.json", MODEL_HEAD + "[{\"type\": \"relu\", \"weights\": []}]}", "train --init FILE", "FILE: layers[0]: a relu layer has only \"type\""));
        c.add(new Case("model with a layer that is not an object", "m.json", MODEL_HEAD + "[\"dense\"]}", "train --init FILE", "FILE: layers[0] must be an object with a \"type\" string"));
        c.add(new Case("model with output as an object", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"output\": {\"softmax\": true}}", "train --init FILE", "FILE: \"output\" is {\"softmax\":true}"));
        c.add(new Case("model whose weights overflow", "m.json", MODEL_HEAD + "[{\"type\": \"dense\", \"weights\": [[1e308,0],[1e308,0],[1e308,0],[0,0],[0,0]], \"bias\": [0,0]}]}", "train --init FILE", "FILE: its outputs overflow: for an input of all ones"));
        c.add(new Case("model whose std overflows", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"preprocessing\": {\"standardize\": {\"mean\": [0,0,0,0,0], \"std\": [1e-320,1,1,1,1]}}}", "predict --model FILE --data DIR/none.csv", "FILE: its outputs overflow"));
        c.add(new Case("model nested too deep", "m.json", "[".repeat(100_000) + "]".repeat(100_000), "evaluate --model FILE", "FILE: refused: nested more than 8 levels deep"));
        c.add(new Case("model with a string too long", "m.json", MODEL_HEAD + GOOD_LAYERS + ", \"classes\": [\"" + "x".repeat(70_000) + "\", \"b\"]}", "predict --model FILE --data DIR", "FILE: refused (line 1, column 158): a string of 70000 characters, more than 65536"));
        c.add(new Case("model file empty", "m.json", "", "gradcheck --model FILE", "FILE: empty file, expected a JSON document"));
        c.add(new Case("model of JSON null", "m.json", "null", "doctor --init FILE", "FILE: not a Descent model (expected a JSON object)"));
        // IDX sets that cannot train or be evaluated
        c.add(new Case("IDX of zero images", "idx", "empty", "train --data FILE", "train-images-idx3-ubyte: holds no images"));
        c.add(new Case("IDX of zero width", "idx", "narrow", "train --data FILE", "train-images-idx3-ubyte: images of 0 pixels"));
        c.add(new Case("IDX of a single class", "idx", "oneclass", "train --data FILE", "every training label is 0; a classifier needs at least two classes"));
        c.add(new Case("IDX test label the training lacks", "idx", "testlabel", "train --data FILE", "--test: FILE: the t10k labels include 12 but the training data has 10 classes (0 to 9)"));
        c.add(new Case("IDX test images truncated (read while the training set is)", "idx", "testcut", "train --data FILE", "--test: FILE/t10k-images-idx3-ubyte: truncated: the header promises 8 values [2, 2, 2] but the file holds 5"));
        c.add(new Case("IDX evaluated with a class the model lacks", "idx", "testlabel-model", "evaluate --model FILE/m.json --data FILE --no-plot", "--data: FILE: the t10k labels include 12 but the model has 2 classes (0 to 1)"));
        // Every subcommand, malformed
        c.add(new Case("gradcheck with bad data", "d.csv", "a,b,label\n1,2,y\n3,x,z\n", "gradcheck --data FILE", "FILE:3:2: 'x' is not a number"));
        c.add(new Case("doctor with a bad flag value", null, null, "doctor --lr -1", "--lr: '-1' must be a positive number"));
        c.add(new Case("evaluate a model for other data", "m.json", GOOD_MODEL.replace("\"inputs\": 5", "\"inputs\": 2").replace(GOOD_LAYERS, "[{\"type\": \"dense\", \"weights\": [[1,0],[0,1]], \"bias\": [0,0]}]"), "evaluate --model FILE --no-plot", "--data: the seed example has 5 features but FILE takes 2"));
        c.add(new Case("predict without data", "m.json", GOOD_MODEL, "predict --model FILE", "--data: give the rows to predict"));
        c.add(new Case("predict onto a device", "m.json", GOOD_MODEL, "predict --model FILE --data FILE --out /dev/null", "--out: /dev/null is a device, FIFO or socket, not a regular file"));
        c.add(new Case("unknown subcommand option", null, null, "doctor --bogus", "Unknown option: '--bogus'"));
    }

    static byte[] idx(int magic, int[] dims, int bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(new byte[bytes]);
        return b.toByteArray();
    }

    /** Sets the last labels of an IDX labels file. */
    static byte[] withLabels(byte[] file, int... labels) {
        for (int i = 0; i < labels.length; i++) {
            file[file.length - labels.length + i] = (byte) labels[i];
        }
        return file;
    }

    /** Writes the fixture and returns its path (for IDX, the directory). */
    static Path fixture(Path dir, Case c) throws IOException {
        if (c.fixture().equals("ckdir")) {
            return Files.createDirectories(dir.resolve("ck"));
        }
        if (c.args().contains("DIR/dup.csv")) {
            Files.writeString(dir.resolve("dup.csv"), "y,y\n1,0\n2,1\n");
        }
        if (c.fixture().equals("wide")) {
            // One row per class, a million features: the default first layer would be too large.
            StringBuilder sb = new StringBuilder();
            for (String label : List.of("x", "y")) {
                sb.append("0,".repeat(1_000_000)).append(label).append('\n');
            }
            return Files.writeString(dir.resolve("wide.csv"), sb.toString());
        }
        if (!c.fixture().equals("idx")) {
            return Files.writeString(dir.resolve(c.fixture()), c.content());
        }
        Path d = Files.createDirectories(dir.resolve("idx"));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {3}, 3));
        String images = "train-images-idx3-ubyte";
        switch (c.content()) {
            case "empty" -> {
                Files.write(d.resolve(images), idx(0x803, new int[] {0, 2, 2}, 0));
                Files.write(d.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {0}, 0));
            }
            case "narrow" -> Files.write(d.resolve(images), idx(0x803, new int[] {3, 0, 0}, 0));
            case "oneclass" -> Files.write(d.resolve(images), idx(0x803, new int[] {3, 2, 2}, 12));
            case "testlabel", "testlabel-model" -> {
                Files.write(d.resolve(images), idx(0x803, new int[] {3, 2, 2}, 12));
                Files.write(d.resolve("train-labels-idx1-ubyte"), withLabels(idx(0x801, new int[] {3}, 3), 0, 1, 1));
                Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {2, 2, 2}, 8));
                Files.write(d.resolve("t10k-labels-idx1-ubyte"), withLabels(idx(0x801, new int[] {2}, 2), 1, 12));
                Files.writeString(d.resolve("m.json"), "{\"format\": \"descent-model\", \"version\": 1, \"inputs\": 4, "
                        + "\"layers\": [{\"type\": \"dense\", \"weights\": [[1,0],[0,1],[1,1],[0,0]], \"bias\": [0,0]}]}");
            }
            case "testcut" -> {
                Files.write(d.resolve(images), idx(0x803, new int[] {3, 2, 2}, 12));
                Files.write(d.resolve("train-labels-idx1-ubyte"), withLabels(idx(0x801, new int[] {3}, 3), 0, 1, 1));
                Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {2, 2, 2}, 5));
                Files.write(d.resolve("t10k-labels-idx1-ubyte"), withLabels(idx(0x801, new int[] {2}, 2), 1, 0));
            }
            case "magic" -> Files.write(d.resolve(images), idx(0x12340803, new int[] {3, 2, 2}, 12));
            case "type" -> Files.write(d.resolve(images), idx(0x903, new int[] {3, 2, 2}, 12));
            case "cut" -> Files.write(d.resolve(images + ".gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5});
            case "truncated" -> Files.write(d.resolve(images), idx(0x803, new int[] {3, 2, 2}, 7));
            case "huge" -> Files.write(d.resolve(images), idx(0x803, new int[] {2_000_000, 1000, 1}, 10));
            case "counts" -> {
                Files.write(d.resolve(images), idx(0x803, new int[] {3, 2, 2}, 12));
                Files.write(d.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {4}, 4));
            }
            default -> Files.write(d.resolve(images + ".gz"), new byte[] {0x1f, (byte) 0x8c, 8, 0, 1, 2, 3, 4, 5});
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsOneClearLineAndExitCodeTwo(Case c) throws IOException {
        dir = Files.createTempDirectory(shared, "case");
        Path file = c.fixture() == null ? null : fixture(dir, c);
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> args = new ArrayList<>();
        for (String a : c.args().split(" ")) {
            args.add(a.replace("FILE", String.valueOf(file)).replace("DIR", dir.toString()));
        }
        if (args.get(0).equals("train") && !args.contains("--resume")) {
            if (!args.contains("--no-plot")) {
                args.addAll(List.of("--plot", out.resolve("loss.png").toString()));
            }
            args.addAll(List.of("--history", out.resolve("h.csv").toString()));
            if (!args.contains("--save")) {
                args.addAll(List.of("--save", out.resolve("m.json").toString()));
            }
        }
        StringWriter stdout = new StringWriter(), stderr = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(stdout), new PrintWriter(stderr));

        String err = stderr.toString();
        String expected = c.message().replace("FILE", String.valueOf(file)).replace("DIR", dir.toString());
        assertEquals(2, code, c.name() + ": " + err + stdout);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertTrue(err.length() < 1000 + expected.length(), "a line a person can read: " + err.length() + " characters");
        assertTrue(err.contains(expected), "expected «" + expected + "» in «" + err.strip() + "»");
        assertTrue(err.startsWith("descent " + args.get(0) + ": "), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "no output file");
        }
    }
}
