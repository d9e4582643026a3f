using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans.SiloHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace MetaLearn.Orleans.Tests;

/// <summary>
/// Two silos in two processes on this machine (localhost clustering on loopback ports): this test process hosts the
/// primary silo and the coordinator, a child process (MetaLearn.Orleans.SiloHost) the second silo. A short MAML run on
/// both gives the local executor's bits.
/// </summary>
public class TwoProcessTests
{
    [Fact]
    public async Task AShortMamlRunOnTwoProcessesGivesTheLocalBits()
    {
        string clusterId = "metalearn-" + Guid.NewGuid().ToString("N")[..8];
        int primarySilo = FreePort(), primaryGateway = FreePort(), childSilo = FreePort(), childGateway = FreePort();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(primarySilo, primaryGateway, null, serviceId: clusterId, clusterId: clusterId)
            .AddMetaLearnWorkers(TestLearners.Register));
        using var host = builder.Build();
        await host.StartAsync();
        using var child = StartChild(childSilo, childGateway, primarySilo, clusterId);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await WaitForSilos(grains, host.Services.GetRequiredService<IClusterManifestProvider>(), 2, child);

            const string learner = TestLearners.MamlSecondOrder;
            var source = new DescribedTaskSource(TestLearners.Sine, TestLearners.SineTasks);
            var options = new MetaTrainingOptions { Iterations = 2, MetaBatchSize = 16, Seed = 8 };
            var local = TestLearners.Create(learner);
            ClusterMetaBatchExecutor? executor = null;
            var distributed = TestLearners.Create(learner, ClusterMetaBatchExecutor.Factory(grains, learner, new ClusterExecutorOptions { Workers = 16 }, e => executor = e));
            await Task.Run(() =>
            {
                MetaTrainer.Train(local, source, options);
                MetaTrainer.Train(distributed, source, options);
            });

            Bits.AssertSameState(local, distributed);

            // Sixteen randomly placed workers on two silos: all on one has probability 2^-15.
            Assert.Equal(2, executor!.LastRun!.Silos.Count);
        }
        finally
        {
            child.StandardInput.Close();
            if (!child.WaitForExit(20_000))
            {
                child.Kill();
            }

            await host.StopAsync();
        }
    }

    private static Process StartChild(int siloPort, int gatewayPort, int primaryPort, string clusterId)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaLearn.Orleans.SiloHost.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { dll, $"{siloPort}", $"{gatewayPort}", $"{primaryPort}", clusterId })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child silo.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits (at most a minute) until the child printed READY, the cluster has <paramref name="count"/> active silos, and this
    /// silo's cluster manifest lists them all. Random placement chooses among the silos of the manifest, which is updated
    /// after the membership: without the last wait every worker could land on this silo, whatever the dice say.
    /// </summary>
    private static async Task WaitForSilos(IGrainFactory grains, IClusterManifestProvider manifest, int count, Process child)
    {
        var clock = Stopwatch.StartNew();
        var ready = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "READY")
                {
                    return true;
                }
            }

            return false;
        });
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(90))) != ready || !ready.Result)
        {
            throw new TimeoutException($"The child silo did not start (exited: {child.HasExited}).");
        }

        _ = child.StandardOutput.ReadToEndAsync();
        var management = grains.GetGrain<IManagementGrain>(0);
        while ((await management.GetHosts(onlyActive: true)).Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The cluster did not reach {count} active silos in a minute.");
            }

            await Task.Delay(200);
        }

        while (manifest.Current.Silos.Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The cluster manifest did not list {count} silos in a minute.");
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
