using MetaLearn.Orleans.SiloHost;
using Orleans.TestingHost;

namespace MetaLearn.Orleans.Tests;

/// <summary>An Orleans test cluster of three silos in this process, each with the test learners registered.</summary>
public sealed class ThreeSilos : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<WorkerSilo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class WorkerSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddMetaLearnWorkers(TestLearners.Register);
    }
}
