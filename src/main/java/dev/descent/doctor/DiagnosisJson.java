package dev.descent.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.TensorCheck;
import dev.descent.train.History;
import java.util.List;
import java.util.Locale;

/** The doctor's findings and a gradient check's report as JSON documents, for scripts and CI. */
public final class DiagnosisJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiagnosisJson() {}

    /**
     * {@code {"verdict": "healthy"|"problems", "problems": n, "findings": [...], "fix": [...], "try": "...",
     * "history": [...]}}; each finding has severity, kind, title, evidence, suggestion and fix.
     *
     * @param command the command line with the fix applied, or null
     */
    public static String of(Diagnosis d, String command) {
        ObjectNode root = JSON.createObjectNode();
        root.put("verdict", d.healthy() ? "healthy" : "problems");
        root.put("problems", d.problems());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : d.findings()) {
            ObjectNode n = findings.addObject();
            n.put("severity", f.severity().toString().toLowerCase(Locale.ROOT));
            n.put("kind", f.kind().toString().toLowerCase(Locale.ROOT));
            n.put("title", f.title());
            strings(n.putArray("evidence"), f.evidence());
            n.put("suggestion", f.suggestion());
            strings(n.putArray("fix"), f.fix());
            n.put("rule", RuleTexts.of(f.kind()));
        }
        strings(root.putArray("fix"), d.fix());
        if (command != null) {
            root.put("try", command);
        }
        strings(root.putArray("verification"), d.verification());
        if (d.heldOut() != null) {
            root.put("heldOut", d.heldOut());
        }
        d.suggestedLearningRate().ifPresent(lr -> root.put("suggestedLearningRate", lr));
        d.notFinite().ifPresent(nf -> {
            ObjectNode n = root.putObject("notFinite");
            n.put("epoch", nf.epoch());
            n.put("step", nf.step());
            n.put("stage", nf.stage());
            n.put("where", nf.where());
        });
        ArrayNode history = root.putArray("history");
        for (History.Row r : d.history().rows()) {
            ObjectNode n = history.addObject();
            n.put("epoch", r.epoch());
            number(n, "loss", r.loss());
            number(n, "accuracy", r.accuracy());
            if (r.hasValidation()) {
                number(n, "validationLoss", r.validationLoss());
                number(n, "validationAccuracy", r.validationAccuracy());
            }
        }
        return write(root);
    }

    /** {@code {"passed": bool, "h", "rtol", "atol", "tensors": [...], "summary": "..."}}. */
    public static String of(GradientCheckReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("passed", report.passed());
        root.put("h", report.h());
        root.put("rtol", report.rtol());
        root.put("atol", report.atol());
        ArrayNode tensors = root.putArray("tensors");
        for (TensorCheck t : report.tensors()) {
            ObjectNode n = tensors.addObject();
            n.put("name", t.name());
            n.put("rows", t.rows());
            n.put("cols", t.cols());
            n.put("checked", t.checked());
            n.put("size", t.size());
            n.put("kinks", t.kinks());
            n.put("failures", t.failures());
            number(n, "maxAbsError", t.maxAbsError());
            number(n, "maxRelError", t.maxRelError());
            number(n, "cosine", t.cosine());
            number(n, "tolerance", t.tolerance());
            n.put("apart", t.apart());
            n.put("nearKinks", t.nearKinks());
            n.put("passed", t.passed());
            if (!t.passed()) {
                n.put("diagnosis", t.diagnosis());
            }
        }
        if (report.nonRepeatable() != null) {
            ObjectNode n = root.putObject("nonRepeatable");
            n.put("layer", report.nonRepeatable().layer() + 1);
            n.put("kind", report.nonRepeatable().kind());
            number(n, "firstLoss", report.nonRepeatable().firstLoss());
            number(n, "secondLoss", report.nonRepeatable().secondLoss());
        }
        if (report.moved() != null) {
            root.put("moved", report.moved());
        }
        if (report.blame() != null) {
            ObjectNode n = root.putObject("blame");
            n.put("layer", report.blame().layer() + 1);
            n.put("kind", report.blame().kind());
            n.put("fault", report.blame().input().fault());
            strings(n.putArray("through"), report.blame().through());
        }
        root.put("summary", report.summary());
        return write(root);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** JSON has no NaN or infinity: those are written as null. */
    private static void number(ObjectNode n, String name, double v) {
        if (Double.isFinite(v)) {
            n.put(name, v);
        } else {
            n.putNull(name);
        }
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }
}
