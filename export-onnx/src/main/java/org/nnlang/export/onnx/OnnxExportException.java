package org.nnlang.export.onnx;

import org.nnlang.runtime.NnException;

/**
 * Why a model cannot be exported: an op without an ONNX mapping (the message names the op and its {@code .nn} line),
 * missing or misshapen weights, a file that cannot be written. A user error: {@code nn export} prints it and exits 2.
 */
public final class OnnxExportException extends NnException {
    public OnnxExportException(String message) {
        super(message);
    }

    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
