using MetaLearn.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace MetaLearn.Onnx.Tests;

/// <summary>Runs an ONNX model's bytes in ONNX Runtime on a float32 batch and compares the output with the library's.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>The relative tolerance: max |ONNX Runtime − library| ≤ this · max(1, max |library|).</summary>
    public const double Tolerance = 1e-5;

    public static float[] Run(byte[] model, Tensor input, string inputName = "input", string outputName = "output")
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input.ToArray(), [.. input.Shape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The largest absolute difference and the largest magnitude of the reference.</summary>
    public static (double MaxAbsDifference, double Scale) Compare(float[] onnx, Tensor reference)
    {
        var expected = reference.ToArray();
        Assert.Equal(expected.Length, onnx.Length);
        double difference = 0, scale = 1;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(onnx[i]), $"ONNX Runtime output {i} is {onnx[i]}.");
            difference = Math.Max(difference, Math.Abs(onnx[i] - (double)expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }

        return (difference, scale);
    }
}
