using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using MetaLearn.NN;
using MetaLearn.Tensors;
using Onnx;

namespace MetaLearn.Onnx;

/// <summary>
/// The ONNX graph an export is building, handed to each <see cref="OnnxModuleExporter"/>: it adds nodes and float32
/// initializers under the current module's path (<c>features.0.conv.weight</c>), exports children through the registry,
/// and tracks the rank of values where it is known (batch statistics need it).
/// </summary>
public sealed class OnnxGraph
{
    private readonly GraphProto _graph;
    private readonly OnnxExporterRegistry _registry;
    private readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private string _path = string.Empty;
    private int _counter;

    internal OnnxGraph(GraphProto graph, OnnxExporterRegistry registry)
    {
        _graph = graph;
        _registry = registry;
    }

    /// <summary>The dotted path of the module being written ("" for the root).</summary>
    public string ModulePath => _path;

    /// <summary>Adds a node and returns the name of its (first) output.</summary>
    /// <param name="opType">The ONNX operator (default domain, opset <see cref="OnnxExport.Opset"/>).</param>
    /// <param name="inputs">The names of its inputs ("" for an omitted optional input).</param>
    /// <param name="attributes">Its attributes (<see cref="OnnxAttributes"/>).</param>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(attributes);
        string output = Unique((_path.Length == 0 ? string.Empty : _path + "/") + opType);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>
    /// Adds <paramref name="value"/> as a float32 initializer named after the current module path and
    /// <paramref name="name"/>; returns its name.
    /// </summary>
    /// <param name="name">The short name ("weight").</param>
    /// <param name="value">The values (converted to float32).</param>
    /// <param name="shape">The stored shape (the tensor's own when null); must hold as many elements.</param>
    public string AddInitializer(string name, Tensor value, IReadOnlyList<int>? shape = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var dims = shape ?? value.Shape;
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != value.Count)
        {
            throw new ArgumentException(
                $"OnnxGraph.AddInitializer: shape {Shapes.Format(dims.ToArray())} holds {count} values, the tensor has {value.Count}.", nameof(shape));
        }

        var tensor = new TensorProto
        {
            Name = Unique((_path.Length == 0 ? string.Empty : _path + ".") + name),
            DataType = (int)TensorProto.Types.DataType.Float,
        };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(value.ToArray().AsSpan()));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an int64 initializer (a shape or axes list for Reshape, Unsqueeze, ReduceSum); returns its name.</summary>
    public string AddInt64Initializer(string name, params long[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        var tensor = new TensorProto
        {
            Name = Unique((_path.Length == 0 ? string.Empty : _path + ".") + name),
            DataType = (int)TensorProto.Types.DataType.Int64,
        };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>The rank of value <paramref name="name"/>, when an exporter recorded it.</summary>
    public int? RankOf(string name) => _ranks.TryGetValue(name, out int rank) ? rank : null;

    /// <summary>Records that value <paramref name="name"/> has rank <paramref name="rank"/> (null: unknown); returns the name.</summary>
    public string WithRank(string name, int? rank)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (rank is { } r)
        {
            _ranks[name] = r;
        }

        return name;
    }

    /// <summary>
    /// The weights of child number <paramref name="childIndex"/> of <paramref name="parent"/>, out of the parent's
    /// <paramref name="weights"/>.
    /// </summary>
    public static IReadOnlyList<Tensor> ChildWeights(Module parent, IReadOnlyList<Tensor> weights, int childIndex)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(childIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(childIndex, parent.Children.Count);
        int start = parent.Parameters().Count - parent.Children.Sum(c => c.Child.Parameters().Count);
        for (int i = 0; i < childIndex; i++)
        {
            start += parent.Children[i].Child.Parameters().Count;
        }

        int count = parent.Children[childIndex].Child.Parameters().Count;
        return [.. weights.Skip(start).Take(count)];
    }

    /// <summary>
    /// Writes child number <paramref name="childIndex"/> of <paramref name="parent"/> on <paramref name="input"/>
    /// (through the registry); returns its output.
    /// </summary>
    public string ExportChild(Module parent, IReadOnlyList<Tensor> weights, int childIndex, string input)
    {
        var childWeights = ChildWeights(parent, weights, childIndex);
        var (name, child) = parent.Children[childIndex];
        return Export(child, childWeights, input, name);
    }

    /// <summary>Writes <paramref name="module"/> on <paramref name="input"/> through the registry, under the path segment <paramref name="name"/>.</summary>
    /// <exception cref="NotSupportedException">No exporter is registered for the module's kind (the message names it and its path).</exception>
    public string Export(Module module, IReadOnlyList<Tensor> weights, string input, string name)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrEmpty(input);
        string outer = _path;
        _path = name.Length == 0 ? outer : (outer.Length == 0 ? name : outer + "." + name);
        try
        {
            var exporter = _registry.Find(module.GetType())
                ?? throw new NotSupportedException(
                    $"OnnxExport: no exporter for module kind {module.GetType().FullName} (at '{(_path.Length == 0 ? "the root" : _path)}'). "
                    + $"Register one with OnnxExporterRegistry.Register<{module.GetType().Name}>(...). Kinds with one: {_registry.KindNames()}.");
            return exporter(module, weights, input, this);
        }
        finally
        {
            _path = outer;
        }
    }

    private string Unique(string name)
    {
        string candidate = name;
        while (!_names.Add(candidate))
        {
            candidate = name + "_" + (++_counter).ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
