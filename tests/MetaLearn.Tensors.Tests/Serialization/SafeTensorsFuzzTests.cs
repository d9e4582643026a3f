using System.Buffers.Binary;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tensors.Tests.Serialization;

public sealed class SafeTensorsFuzzTests
{
    private const int Iterations = 4000;

    [Fact]
    public void CorruptedFilesEitherLoadOrThrowFormatException()
    {
        var valid = BuildValidFile();
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var random = new Random(20240601);
        var loaded = 0;
        var rejected = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var (mutated, description) = Mutate(valid, headerEnd, random);
            try
            {
                var doc = SafeTensors.LoadDocument(new MemoryStream(mutated, writable: false));
                Assert.All(doc.Tensors, t => Assert.Equal(t.ElementCount, t.Shape.Aggregate(1, (a, d) => a * d)));
                loaded++;
            }
            catch (SafeTensorsFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"Iteration {i} ({description}) threw {ex.GetType().Name} instead of SafeTensorsFormatException: {ex}");
            }
        }

        // Both outcomes must actually occur, or the mutations are not exercising the parser.
        Assert.True(loaded > 50, $"only {loaded} mutated files loaded");
        Assert.True(rejected > 1000, $"only {rejected} mutated files were rejected");
    }

    private static byte[] BuildValidFile()
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream,
        [
            SafeTensorsEntry.FromFloat32("layer.0.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
            SafeTensorsEntry.FromFloat32("layer.0.bias", [3], [0.5f, -0.5f, float.NaN]),
            SafeTensorsEntry.FromFloat64("scale", [], [Math.E]),
            SafeTensorsEntry.FromFloat32("empty", [0, 4], []),
        ],
        new Dictionary<string, string> { ["format"] = "pt", ["step"] = "1200" });
        return stream.ToArray();
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] valid, int headerEnd, Random random)
    {
        var bytes = (byte[])valid.Clone();
        var rounds = random.Next(1, 4);
        var description = "";
        for (var r = 0; r < rounds; r++)
        {
            // Bias positions towards the header, where the interesting parsing happens.
            int Position(int length) => length == 0 ? 0 : random.Next(2) == 0 ? random.Next(Math.Min(headerEnd, length)) : random.Next(length);

            switch (random.Next(7))
            {
                case 0:
                {
                    var p = Position(bytes.Length);
                    if (bytes.Length > 0)
                    {
                        bytes[p] ^= (byte)(1 << random.Next(8));
                    }

                    description += $"flip@{p} ";
                    break;
                }

                case 1:
                {
                    var p = Position(bytes.Length);
                    if (bytes.Length > 0)
                    {
                        bytes[p] = (byte)random.Next(256);
                    }

                    description += $"set@{p} ";
                    break;
                }

                case 2:
                {
                    var length = random.Next(bytes.Length + 1);
                    bytes = bytes[..length];
                    description += $"truncate@{length} ";
                    break;
                }

                case 3:
                {
                    var p = Position(bytes.Length + 1);
                    var insert = new byte[random.Next(1, 9)];
                    random.NextBytes(insert);
                    bytes = [.. bytes[..p], .. insert, .. bytes[p..]];
                    description += $"insert{insert.Length}@{p} ";
                    break;
                }

                case 4:
                {
                    var p = Position(bytes.Length);
                    var count = Math.Min(random.Next(1, 9), bytes.Length - p);
                    bytes = [.. bytes[..p], .. bytes[(p + count)..]];
                    description += $"delete{count}@{p} ";
                    break;
                }

                case 5:
                {
                    // Rewrite a digit of the header: shapes and offsets change while the JSON stays valid.
                    var digits = Enumerable.Range(8, Math.Max(0, Math.Min(headerEnd, bytes.Length) - 8)).Where(k => bytes[k] is >= (byte)'0' and <= (byte)'9').ToArray();
                    if (digits.Length > 0)
                    {
                        var k = digits[random.Next(digits.Length)];
                        bytes[k] = (byte)('0' + random.Next(10));
                        description += $"digit@{k} ";
                    }

                    break;
                }

                default:
                {
                    // Replace the length prefix with a value near the real one or an extreme.
                    if (bytes.Length >= 8)
                    {
                        var value = random.Next(3) switch
                        {
                            0 => (ulong)Math.Max(0, headerEnd - 8 + random.Next(-16, 17)),
                            1 => (ulong)random.NextInt64(),
                            _ => ulong.MaxValue - (ulong)random.Next(16),
                        };
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                        description += $"prefix={value} ";
                    }

                    break;
                }
            }
        }

        return (bytes, description);
    }
}
