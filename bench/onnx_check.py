"""The ONNX checker on files Descent exported: python3 bench/onnx_check.py FILE.onnx ...

Each file must pass onnx.checker.check_model with full_check (strict shape inference as well),
declare the default operator set at version 17, and run in ONNX Runtime (Python) on 3 rows of
its input's type, each output with those 3 rows. One line per file; exit code 1 at the first
that fails. Needs: pip install onnx onnxruntime (OnnxCheckerTest runs it where they are installed).
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort

TYPES = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.DOUBLE: np.float64}


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opsets = {o.domain: o.version for o in model.opset_import}
    if opsets != {"": 17}:
        raise ValueError(f"operator sets {opsets}, expected the default one at 17")
    (inp,) = model.graph.input
    width = inp.type.tensor_type.shape.dim[1].dim_value
    x = np.random.default_rng(1).normal(size=(3, width)).astype(TYPES[inp.type.tensor_type.elem_type])
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    outputs = session.run(None, {inp.name: x})
    for out, value in zip(session.get_outputs(), outputs):
        if value.shape[0] != 3 or not np.all(np.isfinite(value)):
            raise ValueError(f"output {out.name} has shape {value.shape} for 3 rows, or values that are not finite")
    names = ", ".join(f"{o.name} {list(v.shape)}" for o, v in zip(session.get_outputs(), outputs))
    print(f"ok {path}: ir {model.ir_version}, opset 17, {inp.name} [batch, {width}] -> {names}")


for p in sys.argv[1:]:
    try:
        check(p)
    except Exception as e:  # one line per failure, as Descent's own tools do
        print(f"FAIL {p}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        sys.exit(1)
