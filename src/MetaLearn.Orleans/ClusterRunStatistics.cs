namespace MetaLearn.Orleans;

/// <summary>What one meta-batch cost on the cluster.</summary>
/// <param name="BytesSent">Payload bytes sent to workers: meta-parameters (once per worker and version) and tasks (tensors, or a name and a seed).</param>
/// <param name="BytesReceived">Payload bytes received: the units' gradients.</param>
/// <param name="Units">How many units were computed.</param>
/// <param name="Retries">How many units were sent again because a worker's silo was lost.</param>
/// <param name="Silos">The silos that computed units, by name and address.</param>
public sealed record ClusterRunStatistics(long BytesSent, long BytesReceived, int Units, int Retries, IReadOnlyList<string> Silos);
