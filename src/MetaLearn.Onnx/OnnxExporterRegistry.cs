using MetaLearn.NN;

namespace MetaLearn.Onnx;

/// <summary>
/// The table of module exporters, one small function per module kind, looked up by the module's type (then by its base
/// types, so one row serves <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>). <see cref="CreateDefault"/> holds a
/// row for every built-in layer; register a row for your own module kind and pass the registry in
/// <see cref="OnnxExportOptions.Registry"/>. A module kind with no row fails the export with an exception naming it.
/// </summary>
public sealed class OnnxExporterRegistry
{
    private readonly Dictionary<Type, OnnxModuleExporter> _exporters = [];

    /// <summary>A registry holding the built-in rows (see <see cref="Kinds"/>).</summary>
    public static OnnxExporterRegistry CreateDefault()
    {
        var registry = new OnnxExporterRegistry();
        BuiltInExporters.RegisterAll(registry);
        return registry;
    }

    /// <summary>The module kinds that have a row.</summary>
    public IReadOnlyCollection<Type> Kinds => _exporters.Keys;

    /// <summary>Adds (or replaces) the row for modules of type <typeparamref name="TModule"/> and its subclasses without a row of their own.</summary>
    public OnnxExporterRegistry Register<TModule>(OnnxModuleExporter exporter)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(exporter);
        _exporters[typeof(TModule)] = exporter;
        return this;
    }

    /// <summary>Whether modules of <paramref name="moduleType"/> can be exported (a row for it or a base type).</summary>
    public bool CanExport(Type moduleType)
    {
        ArgumentNullException.ThrowIfNull(moduleType);
        return Find(moduleType) is not null;
    }

    internal OnnxModuleExporter? Find(Type moduleType)
    {
        for (var type = moduleType; type is not null && type != typeof(Module); type = type.BaseType)
        {
            if (_exporters.TryGetValue(type, out var exporter))
            {
                return exporter;
            }
        }

        return null;
    }

    internal string KindNames() => string.Join(", ", _exporters.Keys.Select(k => k.Name).Order(StringComparer.Ordinal));
}
