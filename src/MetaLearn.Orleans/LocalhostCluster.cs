using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace MetaLearn.Orleans;

/// <summary>
/// An Orleans cluster of one or more silos in this process, with localhost clustering on free loopback ports: the
/// embedded default that lets a sample or a test run distributed meta-training with no infrastructure. On a real cluster
/// the same registry goes into each silo's <c>UseOrleans</c> with a membership provider instead.
/// </summary>
public sealed class LocalhostCluster : IAsyncDisposable
{
    private readonly IHost[] _hosts;

    private LocalhostCluster(IHost[] hosts)
    {
        _hosts = hosts;
    }

    /// <summary>The cluster, as the first silo sees it: pass it to <see cref="ClusterMetaBatchExecutor.Factory"/>.</summary>
    public IGrainFactory Grains => _hosts[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>How many silos run.</summary>
    public int Silos => _hosts.Length;

    /// <summary>
    /// Starts <paramref name="silos"/> silos, each with the learners and task sources <paramref name="register"/> adds,
    /// and waits until all have joined and every silo's cluster manifest lists them all (so work is placed on every silo
    /// from the first call).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one silo.</exception>
    public static async Task<LocalhostCluster> StartAsync(Action<MetaLearnRegistry> register, int silos = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        string clusterId = "metalearn-" + Guid.NewGuid().ToString("N")[..12];
        var hosts = new List<IHost>();
        IPEndPoint? primary = null;
        try
        {
            for (int i = 0; i < silos; i++)
            {
                int siloPort = FreePort();
                var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                var primaryEndpoint = primary;
                builder.UseOrleans(silo => silo
                    .UseLocalhostClustering(siloPort, FreePort(), primaryEndpoint, serviceId: clusterId, clusterId: clusterId)
                    .AddMetaLearnWorkers(register));
                var host = builder.Build();
                hosts.Add(host);
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                primary ??= new IPEndPoint(IPAddress.Loopback, siloPort);
            }

            var membership = hosts[0].Services.GetRequiredService<IClusterMembershipService>();
            while (membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) < silos)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            // Random placement chooses among the silos of the calling silo's cluster manifest, which is updated after the
            // membership: until it lists every silo, all work would land on the silos it already knows.
            foreach (var host in hosts)
            {
                var manifest = host.Services.GetRequiredService<IClusterManifestProvider>();
                while (manifest.Current.Silos.Count < silos)
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }

            return new LocalhostCluster([.. hosts]);
        }
        catch
        {
            await StopAll(hosts).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops every silo, the first last.</summary>
    public async ValueTask DisposeAsync() => await StopAll(_hosts).ConfigureAwait(false);

    private static async Task StopAll(IReadOnlyList<IHost> hosts)
    {
        for (int i = hosts.Count - 1; i >= 0; i--)
        {
            await hosts[i].StopAsync().ConfigureAwait(false);
            hosts[i].Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
