namespace MetaLearn.Tests.Data.Numpy;

/// <summary>Which Python wrote a pickle: the opcodes differ for the same values (see <see cref="PickleWriter"/>).</summary>
public enum PythonPickle
{
    /// <summary>Python 2's cPickle at protocol 2 (CIFAR-100's release): str as SHORT_BINSTRING/BINSTRING, GLOBAL, BINPUT.</summary>
    Python2,

    /// <summary>Python 3 at protocol 2: str as BINUNICODE, bytes as _codecs.encode(text, 'latin1').</summary>
    Python3Protocol2,

    /// <summary>Python 3 at protocol 4 (the default of 3.8 to 3.13): FRAME, SHORT_BINUNICODE, BINBYTES, STACK_GLOBAL, MEMOIZE.</summary>
    Python3Protocol4,

    /// <summary>Python 3 at protocol 5 (the default of 3.14): as 4, with numpy arrays as _frombuffer over a BYTEARRAY8.</summary>
    Python3Protocol5,
}
