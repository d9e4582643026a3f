namespace MetaLearn.Tensors.Ops;

/// <summary>
/// x [N, C, ...] seen as N·C contiguous runs of one channel's values (the product of the trailing axes each): the layout the
/// per-channel kernels of batch normalization walk.
/// </summary>
internal readonly struct ChannelShape
{
    public ChannelShape(int[] shape)
    {
        Channels = shape[1];
        RunLength = 1;
        for (int d = 2; d < shape.Length; d++)
        {
            RunLength *= shape[d];
        }

        Runs = shape[0] * Channels;
        PerChannel = shape[0] * RunLength;
        ReducedAxes = [0, .. Enumerable.Range(2, shape.Length - 2)];
        int channels = shape[1];
        BroadcastShape = [.. shape.Select((_, d) => d == 1 ? channels : 1)];
    }

    public int Channels { get; }

    /// <summary>Values of one channel in one batch element (contiguous).</summary>
    public int RunLength { get; }

    /// <summary>Batch elements times channels.</summary>
    public int Runs { get; }

    /// <summary>Values each channel's statistics are taken over.</summary>
    public int PerChannel { get; }

    /// <summary>Every axis but the channel axis.</summary>
    public int[] ReducedAxes { get; }

    /// <summary>[1, C, 1, ...]: a per-channel vector broadcast against x.</summary>
    public int[] BroadcastShape { get; }

    /// <summary>
    /// Runs <paramref name="body"/> on channel ranges [first, last), in parallel when x is large enough to pay. A channel's
    /// runs are always visited by one call, in batch order, so per-channel sums have the same bits on any thread count.
    /// </summary>
    public void ForChannels(Action<int, int> body)
    {
        int parts = Kernels.ImageBatches.Parts(Channels, PerChannel);
        if (parts <= 1)
        {
            body(0, Channels);
        }
        else
        {
            Kernels.ImageBatches.Run(Channels, parts, body);
        }
    }
}
