using System.Diagnostics;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// One ResNet-12 forward and backward at miniImageNet size (timing only): the 64-160-320-640 body with batch statistics
/// and global average pooling, no head, on <c>--batch</c> random 3×84×84 images (5 by default: a 5-way 1-shot support set;
/// 80 is a whole 5-way 1-shot episode with 15 queries per class), the loss the sum of squared features, the gradient with
/// respect to every parameter. The TorchSharp peer's <c>resnet12</c> workload computes the same.
/// </summary>
internal static class ResNet12Workload
{
    private static readonly int[] Widths = [64, 160, 320, 640];

    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int iters = o.Iters ?? 5;
        int warmup = o.Warmup ?? 1;
        int batch = o.Batch ?? 5;
        var generator = new Generator(o.Seed);
        var model = Backbones.ResNet12(generator);
        var parameters = model.Parameters();
        var result = new Dictionary<string, object?>
        {
            ["data"] = "random normal images 3x84x84 (timing only)",
            ["network"] = "ResNet-12 64-160-320-640, batch norm (batch statistics), leaky ReLU 0.1, global average pooling, no head",
            ["batch"] = batch,
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["param_count"] = model.ParameterElementCount(),
        };

        var times = new List<double>();
        double lastLoss = double.NaN;
        for (int it = 0; it < warmup + iters; it++)
        {
            var x = Tensor.RandomNormal(generator, [batch, 3, 84, 84]);
            long t0 = Stopwatch.GetTimestamp();
            using (AllocationScope.Begin())
            {
                var loss = model.Forward(x).Square().Sum();
                Autograd.Grad(loss, parameters);
                lastLoss = loss.Item();
            }

            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (it >= warmup)
            {
                times.Add(ms);
            }

            WorkloadRunner.Log(o, $"  resnet12 iter {it + 1}/{warmup + iters}: {ms:F0} ms, loss {lastLoss:F3}");
        }

        double median = Statistics.Median(times);
        result["ms_per_iter_median"] = Statistics.Round(median, 1);
        result["ms_per_iter_min"] = Statistics.Round(times.Count > 0 ? times.Min() : double.NaN, 1);
        result["images_per_s"] = Statistics.Round(1000.0 * batch / median, 2);
        result["last_loss"] = Statistics.Round(lastLoss);

        // Forward and backward are about three times the forward's multiply-adds (input and weight gradients).
        double gflop = 3 * 2 * ConvMultiplyAdds(84) * batch / 1e9;
        result["conv_gflop_per_iter"] = Statistics.Round(gflop, 2);
        result["conv_gflops"] = Statistics.Round(gflop * 1000.0 / median, 1);
        return result;
    }

    /// <summary>The convolutions' multiply-adds per image in the forward pass: per block three 3×3 and one 1×1 convolution at the block's input size.</summary>
    public static double ConvMultiplyAdds(int imageSize)
    {
        double total = 0;
        int channels = 3, side = imageSize;
        foreach (int width in Widths)
        {
            double pixels = (double)side * side;
            total += pixels * ((9.0 * channels * width) + (18.0 * width * width) + ((double)channels * width));
            channels = width;
            side /= 2;
        }

        return total;
    }
}
