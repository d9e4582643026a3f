namespace MetaLearn.Tensors.Kernels.Simd;

/// <summary>
/// The operations the kernels need on one SIMD vector (<typeparamref name="TVector"/>) of <typeparamref name="T"/>, implemented
/// once per width (<see cref="Lanes128{T}"/>, <see cref="Lanes256{T}"/>, <see cref="Lanes512{T}"/>). A kernel written once
/// against this interface, with the lanes type as a generic argument, is specialized by the JIT for each width, and every call
/// here inlines to the instruction a hand-written kernel of that width would use.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface ISimdLanes<TVector, T>
    where TVector : unmanaged
    where T : unmanaged
{
    /// <summary>Whether the hardware (and the JIT's settings) run vectors of this width natively.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>
    /// Whether <see cref="MultiplyAdd"/> rounds once (a hardware fused multiply-add); otherwise it multiplies, rounds, adds and
    /// rounds again.
    /// </summary>
    static abstract bool IsFused { get; }

    /// <summary>Whether loads and stores can touch only some lanes (<see cref="LoadMasked"/>, <see cref="StoreMasked"/>).</summary>
    static abstract bool HasMaskedMemoryAccess { get; }

    /// <summary>The number of <typeparamref name="T"/> lanes in a vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Create(T value);

    /// <summary>Every lane set to the element at <paramref name="source"/>, read straight from memory into all lanes.</summary>
    static abstract unsafe TVector LoadBroadcast(T* source);

    /// <summary>Reads <see cref="Count"/> consecutive elements starting at <paramref name="source"/>.</summary>
    static abstract unsafe TVector Load(T* source);

    /// <summary>Writes all lanes of <paramref name="value"/> to <see cref="Count"/> consecutive elements at <paramref name="destination"/>.</summary>
    static abstract unsafe void Store(T* destination, TVector value);

    /// <summary>x + y, lane by lane.</summary>
    static abstract TVector Add(TVector x, TVector y);

    /// <summary>x − y, lane by lane.</summary>
    static abstract TVector Subtract(TVector x, TVector y);

    /// <summary>x·y, lane by lane.</summary>
    static abstract TVector Multiply(TVector x, TVector y);

    /// <summary>x·y + addend, lane by lane, rounded once when <see cref="IsFused"/>.</summary>
    static abstract TVector MultiplyAdd(TVector x, TVector y, TVector addend);

    /// <summary>The larger of each pair of lanes.</summary>
    static abstract TVector Max(TVector x, TVector y);

    /// <summary>All bits set in the lanes where x &gt; y, none elsewhere (false for NaN).</summary>
    static abstract TVector GreaterThan(TVector x, TVector y);

    /// <summary>All bits set in the lanes where x &lt; y, none elsewhere (false for NaN).</summary>
    static abstract TVector LessThan(TVector x, TVector y);

    /// <summary>All bits set in the lanes where x = y, none elsewhere (false for NaN).</summary>
    static abstract TVector Equals(TVector x, TVector y);

    /// <summary>All bits set in the lanes that hold a NaN.</summary>
    static abstract TVector IsNaN(TVector x);

    /// <summary>The bits set in x or in y.</summary>
    static abstract TVector Or(TVector x, TVector y);

    /// <summary>The bits set in both x and y.</summary>
    static abstract TVector And(TVector x, TVector y);

    /// <summary>The bits set in x but not in y.</summary>
    static abstract TVector AndNot(TVector x, TVector y);

    /// <summary>Lanes of <paramref name="whenTrue"/> where <paramref name="mask"/> is set, of <paramref name="whenFalse"/> elsewhere.</summary>
    static abstract TVector ConditionalSelect(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>The sum of all lanes.</summary>
    static abstract T Sum(TVector x);

    /// <summary>
    /// A mask of the first <paramref name="count"/> lanes (none when it is not positive), for <see cref="LoadMasked"/> and
    /// <see cref="StoreMasked"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The width has no masked memory access (<see cref="HasMaskedMemoryAccess"/> is false).</exception>
    static abstract TVector FirstLanes(int count);

    /// <summary>Reads the lanes set in <paramref name="mask"/> (the others are zero) without touching the memory of the rest.</summary>
    /// <exception cref="NotSupportedException">The width has no masked memory access.</exception>
    static abstract unsafe TVector LoadMasked(T* source, TVector mask);

    /// <summary>Writes only the lanes set in <paramref name="mask"/>.</summary>
    /// <exception cref="NotSupportedException">The width has no masked memory access.</exception>
    static abstract unsafe void StoreMasked(T* destination, TVector mask, TVector value);
}
