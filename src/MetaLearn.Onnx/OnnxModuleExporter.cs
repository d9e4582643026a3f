using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Onnx;

/// <summary>
/// Writes one module kind into an ONNX graph: the nodes that compute <paramref name="module"/>'s forward pass on the
/// value named <paramref name="input"/>, with <paramref name="weights"/> (the module's own window of the exported
/// weights, in <see cref="Module.Parameters"/> order) as initializers. Returns the name of the output value.
/// </summary>
/// <param name="module">The module to write (of the kind the exporter was registered for).</param>
/// <param name="weights">Its weights, one per parameter, in its parameter order.</param>
/// <param name="input">The name of the graph value the module reads.</param>
/// <param name="graph">The graph being built: nodes, initializers, children.</param>
public delegate string OnnxModuleExporter(Module module, IReadOnlyList<Tensor> weights, string input, OnnxGraph graph);
