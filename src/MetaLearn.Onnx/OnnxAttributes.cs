using Onnx;

namespace MetaLearn.Onnx;

/// <summary>Builds the attributes of an ONNX node (kernel_shape, epsilon, ...).</summary>
public static class OnnxAttributes
{
    /// <summary>An integer attribute.</summary>
    public static AttributeProto Value(string name, long value) => new() { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute (stored as float32).</summary>
    public static AttributeProto Value(string name, double value)
        => new() { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Values(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var attribute = new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static string Checked(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }
}
