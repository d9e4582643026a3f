using System.Diagnostics.CodeAnalysis;
using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// A differentiable function with named parameters and buffers, registered explicitly (never found by reflection),
/// that can run with its own parameters or with any other list of tensors of the same shapes.
/// </summary>
/// <remarks>
/// Parameters are ordered depth-first: the module's own, in registration order, then each child's. Names are
/// dotted paths such as <c>features.0.weight</c>, the layout PyTorch uses, so checkpoints line up with PyTorch's.
/// </remarks>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
    Justification = "Module is the name every deep-learning library uses for this concept; it clashes only with a Visual Basic keyword.")]
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, ModuleCounter Counter)> _counters = [];
    private readonly List<(string Name, Module Child)> _children = [];
    /// <summary>Bumped whenever any module registers a parameter or child, so cached layouts of every ancestor are rebuilt.</summary>
    private static long s_structureVersion;

    private Tensor[]? _flat;
    private int[]? _childOffsets;
    private long _flatVersion = -1;

    /// <summary>Whether the module is in training mode (dropout active, batch norm per its policy). True initially.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The children in registration order.</summary>
    public IReadOnlyList<(string Name, Module Child)> Children => _children;

    /// <summary>
    /// Whether the module also runs on a batch of tasks at once: every parameter given with an extra leading task axis
    /// [T, ...] and inputs shaped [T, N, ...], task t's rows using task t's weights. Meta-learners use this to process a
    /// meta-batch as one graph. False unless a layer says otherwise.
    /// </summary>
    internal virtual bool SupportsTaskBatching => false;

    /// <summary>Runs the module with its own parameters.</summary>
    public Tensor Forward(Tensor input) => Forward(input, new ParameterView(Parameters()));

    /// <summary>Runs the module with <paramref name="parameters"/> in place of its own (same order and shapes as <see cref="Parameters"/>).</summary>
    /// <exception cref="ArgumentException">The list has the wrong number of tensors.</exception>
    public Tensor Forward(Tensor input, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        int expected = Parameters().Count;
        if (parameters.Count != expected)
        {
            throw new ArgumentException($"{GetType().Name}.Forward: {parameters.Count} parameter tensors given, the module has {expected}.",
                nameof(parameters));
        }

        return Forward(input, new ParameterView(parameters));
    }

    /// <summary>The computation, reading parameters from <paramref name="parameters"/> (this module's window of them).</summary>
    public abstract Tensor Forward(Tensor input, ParameterView parameters);

    /// <summary>All parameters, depth-first, as a cached array (the tensors are the live ones: optimizers update them in place).</summary>
    public IReadOnlyList<Tensor> Parameters() => Flatten();

    /// <summary>All parameters with their dotted path names.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> NamedParameters()
    {
        var result = new List<(string, Tensor)>();
        Collect(string.Empty, result, module => module._parameters);
        return result;
    }

    /// <summary>All buffers (non-trained state such as batch-norm running statistics) with their dotted path names.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> NamedBuffers()
    {
        var result = new List<(string, Tensor)>();
        Collect(string.Empty, result, module => module._buffers);
        return result;
    }

    /// <summary>
    /// All integer counters (such as batch norm's <c>num_batches_tracked</c>) with their dotted path names, the live
    /// objects: checkpoints save and restore them as int64 scalars.
    /// </summary>
    public IReadOnlyList<(string Name, ModuleCounter Counter)> NamedCounters()
    {
        var result = new List<(string, ModuleCounter)>();
        Collect(string.Empty, result, module => module._counters);
        return result;
    }

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (same as <c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>The total number of scalar parameters.</summary>
    public long ParameterElementCount()
    {
        long total = 0;
        foreach (var p in Parameters())
        {
            total += p.Count;
        }

        return total;
    }

    /// <summary>Registers a trainable parameter (a leaf that requires grad) under <paramref name="name"/>.</summary>
    protected Tensor AddParameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        if (!value.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor; pass value.Detach().", nameof(value));
        }

        value.RequiresGrad = true;
        _parameters.Add((name, value));
        Invalidate();
        return value;
    }

    /// <summary>Registers a buffer: saved with the module, never trained.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers an integer counter under <paramref name="name"/>: saved with the module, never trained.</summary>
    protected ModuleCounter AddCounter(string name)
    {
        CheckName(name);
        var counter = new ModuleCounter();
        _counters.Add((name, counter));
        return counter;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T AddModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        Invalidate();
        return module;
    }

    /// <summary>The window of <paramref name="parameters"/> that belongs to child number <paramref name="childIndex"/>.</summary>
    protected ParameterView ChildParameters(ParameterView parameters, int childIndex)
    {
        Flatten();
        int start = _childOffsets![childIndex];
        int end = childIndex + 1 < _children.Count ? _childOffsets[childIndex + 1] : _flat!.Length;
        return parameters.Slice(start, end - start);
    }

    private Tensor[] Flatten()
    {
        long version = Interlocked.Read(ref s_structureVersion);
        if (_flat is not null && _flatVersion == version)
        {
            return _flat;
        }

        var flat = new List<Tensor>();
        foreach (var (_, value) in _parameters)
        {
            flat.Add(value);
        }

        var offsets = new int[_children.Count];
        for (int i = 0; i < _children.Count; i++)
        {
            offsets[i] = flat.Count;
            flat.AddRange(_children[i].Child.Parameters());
        }

        _childOffsets = offsets;
        _flat = [.. flat];
        _flatVersion = version;
        return _flat;
    }

    private void Invalidate()
    {
        _flat = null;
        _childOffsets = null;
        Interlocked.Increment(ref s_structureVersion);
    }

    private void Collect<T>(string prefix, List<(string, T)> result, Func<Module, List<(string Name, T Value)>> select)
    {
        foreach (var (name, value) in select(this))
        {
            result.Add((prefix + name, value));
        }

        foreach (var (name, child) in _children)
        {
            child.Collect(prefix + name + ".", result, select);
        }
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid name '{name}': names must be non-empty and contain no '.'.", nameof(name));
        }

        foreach (var (existing, _) in _parameters)
        {
            Duplicate(existing, name);
        }

        foreach (var (existing, _) in _buffers)
        {
            Duplicate(existing, name);
        }

        foreach (var (existing, _) in _children)
        {
            Duplicate(existing, name);
        }

        foreach (var (existing, _) in _counters)
        {
            Duplicate(existing, name);
        }
    }

    private static void Duplicate(string existing, string name)
    {
        if (existing == name)
        {
            throw new ArgumentException($"The name '{name}' is already registered on this module.", nameof(name));
        }
    }
}
