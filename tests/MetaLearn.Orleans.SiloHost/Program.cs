using System.Globalization;
using System.Net;
using MetaLearn.Orleans;
using MetaLearn.Orleans.SiloHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: MetaLearn.Orleans.SiloHost SILO_PORT GATEWAY_PORT PRIMARY_SILO_PORT CLUSTER_ID
// Joins the localhost cluster whose primary silo listens on 127.0.0.1:PRIMARY_SILO_PORT, prints READY, and stops when
// its standard input closes.
int siloPort = int.Parse(args[0], CultureInfo.InvariantCulture);
int gatewayPort = int.Parse(args[1], CultureInfo.InvariantCulture);
int primaryPort = int.Parse(args[2], CultureInfo.InvariantCulture);
string clusterId = args[3];

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort), serviceId: clusterId, clusterId: clusterId)
    .AddMetaLearnWorkers(TestLearners.Register));
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("READY");
await Console.In.ReadToEndAsync();
await host.StopAsync();
