namespace MetaLearn.Tensors;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose output depends only on
/// the seed: the same seed gives the same numbers on every machine and runtime.
/// </summary>
/// <remarks>
/// Normal samples use the Marsaglia polar method with a logarithm computed from basic IEEE arithmetic
/// (<see cref="PortableLog"/>) rather than the platform's libm, whose last bit may differ between systems.
/// Not thread-safe: give each thread its own generator (see <see cref="Split"/>).
/// </remarks>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator from a seed.</summary>
    public Generator(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "NextInt: the bound must be positive.");
        }

        // Lemire's multiply-shift with rejection: unbiased and branch-light. r has 32 bits, so the rejection
        // threshold is 2^32 mod bound (not 2^64 mod bound, which leaves some values over-represented).
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (1UL << 32) % bound;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong product = r * bound;
            if ((product & 0xFFFFFFFFUL) >= threshold)
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>A standard normal sample.</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * PortableLog(s) / s);
        _spareNormal = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The full internal state, so a run can be checkpointed and resumed exactly.</summary>
    public GeneratorState GetState() => new(_s0, _s1, _s2, _s3, _hasSpare ? _spareNormal : null);

    /// <summary>Restores a state taken with <see cref="GetState"/>.</summary>
    public void SetState(GeneratorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("Generator: the all-zero state is invalid for xoshiro256**.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
        _hasSpare = state.SpareNormal.HasValue;
        _spareNormal = state.SpareNormal ?? 0;
    }

    /// <summary>A new, statistically independent generator derived from this one's next output.</summary>
    public Generator Split() => new(NextUInt64());

    /// <summary>
    /// Natural logarithm of a positive finite double using only IEEE basic operations, so its result is the same
    /// on every platform: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1).
    /// </summary>
    internal static double PortableLog(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0)
        {
            // Subnormal: scale into the normal range first.
            return PortableLog(x * 18014398509481984.0) - (54 * 0.6931471805599453);
        }

        exponent -= 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            exponent++;
        }

        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double term = s;
        double sum = s;
        for (int k = 3; k <= 31; k += 2)
        {
            term *= s2;
            sum += term / k;
        }

        return (exponent * 0.6931471805599453) + (2.0 * sum);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
