using MetaLearn.Data.Images;
using MetaLearn.Data.Numpy;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Numpy;

/// <summary>The readers on files CPython 3.11 and numpy 1.24 wrote themselves (tests/fixtures/make_numpy_fixtures.py), not only on hand-encoded ones.</summary>
public class RealFixtureTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "numpy", name);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void ReadsWhatPythonAndNumpyPickled(int protocol)
    {
        var file = Fixture($"values-protocol{protocol}.pkl");
        var root = PickleValue.Dict(PickleReader.Read(file), "root", file);

        var images = Assert.IsType<NumpyArray>(root["image_data"]);
        Assert.Equal([3L, 2, 2, 3], images.Shape);
        Assert.Equal(Enumerable.Range(0, 36).Select(i => (byte)i), images.Data);
        var classes = PickleValue.Dict(root["class_dict"], "class_dict", file);
        Assert.Equal([0L, 2], PickleValue.Integers(classes["n01"], "n01", file));
        Assert.Equal([1L], PickleValue.Integers(classes["n02"], "n02", file));
        Assert.Equal([5L, -3, 1L << 33], PickleValue.Integers(root["labels"], "labels", file));
        var bigEndian = Assert.IsType<NumpyArray>(root["big_endian"]);
        Assert.Equal(">f4", bigEndian.DType.Name);
        Assert.Equal([0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0], bigEndian.Data);
        Assert.Equal([1, 2, 3, 4, 5, 6], Assert.IsType<NumpyArray>(root["fortran"]).Data);
        Assert.Equal(["ab", "cde"], PickleValue.Texts(root["names"], "names", file));
        Assert.Equal(7L, root["scalar"]);

        var plain = Assert.IsType<List<object?>>(root["plain"]);
        Assert.Equal([1L, -2L, 3.5, null, true, "text"], plain.Take(6));
        Assert.Equal([0, 255], PickleValue.Bytes(plain[6], "bytes", file));
        Assert.Equal([1L, 2L], Assert.IsType<object?[]>(plain[7]));
    }

    [Fact]
    public void ReadsWhatNumpySavedAsNpzAndLoadsItAsMiniImageNet()
    {
        var arrays = NpzFile.Read(Fixture("images.npz"), "labels", "images");
        Assert.Equal([1L, 0, 1], arrays[0].ToInt64("labels"));
        Assert.Equal([3L, 2, 2, 3], arrays[1].Shape);

        using var scratch = new ScratchFolder();
        File.Copy(Fixture("images.npz"), scratch.PathOf("mini-imagenet-test.npz"));
        File.Copy(Fixture("values-protocol4.pkl"), scratch.PathOf("mini-imagenet-cache-train.pkl"));
        var options = new ImageDecodeOptions(2, 2, ImageChannels.Rgb);
        var test = MiniImageNet.Load(scratch.Root, FewShotSplit.Test, options);
        var train = MiniImageNet.Load(scratch.Root, FewShotSplit.Train, options);
        Assert.Equal(["0", "1"], test.ClassInfo.Select(c => c.Name));
        Assert.Equal(["n01", "n02"], train.ClassInfo.Select(c => c.Name));
        // Image 1 holds bytes 12..23, [H, W, C]: its red plane is 12, 15, 18, 21.
        Assert.Equal(new[] { 12f, 15, 18, 21 }.Select(v => v / 255f), test.GetInputs(test.IndicesOf(0)).ToArray().Take(4));
        Assert.Equal(test.GetInputs(test.IndicesOf(0)).ToArray(), train.GetInputs(train.IndicesOf(1)).ToArray());
    }
}
