package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * A labelled classification data set held in memory.
 *
 * @param features    x: (N, features), one sample a row
 * @param labels      class index of each row, in [0, classNames.size())
 * @param classNames  the name of each class, in index order
 * @param description where it came from, for headers and model files
 */
public record Dataset(Matrix features, int[] labels, List<String> classNames, String description) {
    public Dataset {
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(features.rows() + " rows of features but " + labels.length + " labels");
        }
        classNames = List.copyOf(classNames);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + (i + 1)
                        + " is outside the " + classNames.size() + " classes");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return features.cols();
    }

    public int classCount() {
        return classNames.size();
    }

    /** One line: {@code seed example (10 samples x 5 features, 10 classes)}. */
    public String summary() {
        return description + " (" + size() + " samples x " + featureCount() + " features, "
                + classCount() + " classes)";
    }
}
