using Microsoft.Extensions.DependencyInjection;

namespace MetaLearn.Orleans;

/// <summary>Hosting: what a silo needs to run MetaLearn workers.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers the learners and task sources this silo's workers know by name (the same on every silo), so that
    /// <see cref="ClusterMetaBatchExecutor"/> can run their meta-batches here.
    /// </summary>
    public static ISiloBuilder AddMetaLearnWorkers(this ISiloBuilder builder, Action<MetaLearnRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(register);
        var registry = new MetaLearnRegistry();
        register(registry);
        builder.Services.AddSingleton(registry);
        return builder;
    }
}
